import { Entity, PrimaryColumn } from 'typeorm';
import { BigintCountColumn } from '@dispatch/persistence';

/**
 * One row counting changes to anything in the authorization snapshot; every service compares it
 * with the revision it holds to know whether to reload.
 */
@Entity({ name: 'authz_revision' })
export class AuthzRevision {
  @PrimaryColumn({ type: 'int' }) id!: number;
  @BigintCountColumn() revision!: number;
}
