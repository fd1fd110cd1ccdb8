import { Injectable } from '@nestjs/common';
import type { BindingSubject, Tag } from '@dispatch/contracts';
import { entityBaseOf } from '@dispatch/persistence';
import { NamedOrgCollection } from '../named-org-collection';
import { assertRoleExists } from '../role/role-reference';
import { RoleBinding } from './role-binding.entity';

export interface RoleBindingChanges {
  role: string;
  subjects: BindingSubject[];
  tags: Tag[];
}
export interface NewRoleBinding extends RoleBindingChanges {
  name: string;
}

const policyView = (b: RoleBinding) => ({ ...entityBaseOf(b), role: b.role, subjects: b.subjects });
export type PolicyView = ReturnType<typeof policyView>;

/** Role bindings (the API calls them policies): who holds which role in an org. */
@Injectable()
export class RoleBindingService extends NamedOrgCollection('bindings', policyView) {
  async create(org: string, body: NewRoleBinding): Promise<PolicyView> {
    return this.change(async (bindings, tx) => {
      await assertRoleExists(tx.roles, org, body.role);
      return bindings.put(Object.assign(new RoleBinding(), { ...body, org }));
    });
  }

  async update(org: string, name: string, body: RoleBindingChanges): Promise<PolicyView> {
    return this.change(async (bindings, tx) => {
      const binding = await bindings.lock(org, name);
      await assertRoleExists(tx.roles, org, body.role);
      Object.assign(binding, body);
      return bindings.put(binding);
    });
  }
}
