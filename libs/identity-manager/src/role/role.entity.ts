import { Column, Entity, Unique } from 'typeorm';
import type { PolicyRule } from '@dispatch/contracts';
import { OrgEntity } from '@dispatch/persistence';

/** A custom role of one org; the built-in roles are not stored. */
@Entity({ name: 'role' })
@Unique('role_org_name_unique', ['org', 'name'])
export class Role extends OrgEntity {
  @Column({ type: 'jsonb' }) rules!: PolicyRule[];
}
