import type { FunctionSpec } from '@dispatch/contracts';
import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { CreatedTimeColumn, JsonListColumn, ModifiedTimeColumn, OrgColumn } from '@dispatch/persistence';

/** Where a version is in its life: deployed and serving, retired after a newer one took over, or failed. */
export const VersionStatus = {
  CREATING: 'CREATING',
  READY: 'READY',
  RETIRING: 'RETIRING',
  RETIRED: 'RETIRED',
  ERROR: 'ERROR',
} as const;
export type VersionStatus = (typeof VersionStatus)[keyof typeof VersionStatus];

/**
 * One version of a function: an immutable spec (with the digest of its source) deployed to the
 * provider under its own name, so a new version can become ready while the old one still serves.
 */
@Entity({ name: 'function_version' })
@Unique('function_version_unique', ['functionId', 'version'])
@Index('function_version_pending', ['status'])
export class FunctionVersion {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'function_id', type: 'uuid' }) functionId!: string;
  @OrgColumn() org!: string;
  @Column({ type: 'int' }) version!: number;
  @Column({ type: 'jsonb' }) spec!: FunctionSpec;

  /** The provider's name of this version (an OpenFaaS function name). */
  @Column({ name: 'provider_name', type: 'text' }) providerName!: string;

  /** The image deployed: the user's reference, or the one built from the source. */
  @Column({ type: 'text', nullable: true }) image!: string | null;

  @Column({ type: 'text' }) status!: VersionStatus;
  @JsonListColumn() reason!: string[];
  @CreatedTimeColumn() createdTime!: Date;
  @ModifiedTimeColumn() modifiedTime!: Date;
}
