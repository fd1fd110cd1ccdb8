import { Column, Entity, Unique } from 'typeorm';
import type { FunctionSpec } from '@dispatch/contracts';
import { OrgEntity } from '@dispatch/persistence';

/**
 * A function: the spec it should run (its latest version's), which version serves now
 * (`activeVersion`, null until one is READY) and the newest one asked for (`latestVersion`).
 */
@Entity({ name: 'function' })
@Unique('function_org_name_unique', ['org', 'name'])
export class FunctionRecord extends OrgEntity {
  @Column({ type: 'jsonb' }) spec!: FunctionSpec;
  @Column({ name: 'active_version', type: 'int', nullable: true }) activeVersion!: number | null;
  @Column({ name: 'latest_version', type: 'int' }) latestVersion!: number;
}
