import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row counting changes to anything in the authorization snapshot; every service compares it
 * with the revision it holds to know whether to reload.
 */
@Entity({ name: 'authz_revision' })
export class AuthzRevision {
  @PrimaryColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  revision!: number;
}
