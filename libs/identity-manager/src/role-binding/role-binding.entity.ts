import { Column, Entity, Unique } from 'typeorm';
import type { BindingSubject } from '@dispatch/contracts';
import { OrgEntity } from '@dispatch/persistence';

/** Grants one role, in one org, to users, groups and service accounts. */
@Entity({ name: 'role_binding' })
@Unique('role_binding_org_name_unique', ['org', 'name'])
export class RoleBinding extends OrgEntity {
  @Column({ type: 'text' }) role!: string;
  @Column({ type: 'jsonb' }) subjects!: BindingSubject[];
}
