import { Injectable } from '@nestjs/common';
import type { BindingSubject, Page, Tag } from '@dispatch/contracts';
import { entityBaseOf } from '@dispatch/persistence';
import { mapPage, toPage, type PageRequest } from '@dispatch/platform';
import { AuthzRepository } from '../authz/authz.repository';
import { assertRoleExists } from '../role/role-reference';
import { RoleBinding } from './role-binding.entity';
import { RoleBindingRepository } from './role-binding.repository';

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
export class RoleBindingService {
  constructor(
    private readonly authz: AuthzRepository,
    private readonly bindings: RoleBindingRepository,
  ) {}

  async create(org: string, body: NewRoleBinding): Promise<PolicyView> {
    return policyView(
      await this.authz.change(async (tx) => {
        await assertRoleExists(tx.roles, org, body.role);
        return tx.bindings.put(Object.assign(new RoleBinding(), { ...body, org }));
      }),
    );
  }

  async list(org: string, page: PageRequest): Promise<Page<PolicyView>> {
    return mapPage(
      toPage(await this.bindings.page(org, page), page.limit, (b) => b.name),
      policyView,
    );
  }

  async get(org: string, name: string): Promise<PolicyView> {
    return policyView(await this.bindings.get(org, name));
  }

  async update(org: string, name: string, body: RoleBindingChanges): Promise<PolicyView> {
    return policyView(
      await this.authz.change(async (tx) => {
        const binding = await tx.bindings.lock(org, name);
        await assertRoleExists(tx.roles, org, body.role);
        Object.assign(binding, body);
        return tx.bindings.put(binding);
      }),
    );
  }

  async delete(org: string, name: string): Promise<void> {
    await this.authz.change((tx) => tx.bindings.removeNamed(org, name));
  }
}
