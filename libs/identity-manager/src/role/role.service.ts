import { Injectable } from '@nestjs/common';
import { ErrorCode, type PolicyRule, type Tag } from '@dispatch/contracts';
import { entityBaseOf } from '@dispatch/persistence';
import { DispatchError } from '@dispatch/platform';
import { NamedOrgCollection } from '../named-org-collection';
import { isBuiltinRole } from './role-reference';
import { Role } from './role.entity';

export interface RoleChanges {
  rules: PolicyRule[];
  tags: Tag[];
}
export interface NewRole extends RoleChanges {
  name: string;
}

const roleView = (r: Role) => ({ ...entityBaseOf(r), rules: r.rules });
export type RoleView = ReturnType<typeof roleView>;

/** Custom roles of an org; the built-in ones are fixed and cannot be shadowed. */
@Injectable()
export class RoleService extends NamedOrgCollection('roles', roleView) {
  async create(org: string, body: NewRole): Promise<RoleView> {
    if (isBuiltinRole(body.name)) {
      throw new DispatchError(ErrorCode.BUILTIN_ROLE, `"${body.name}" is a built-in role; give a custom role another name`);
    }
    return this.change((roles) => roles.put(Object.assign(new Role(), { ...body, org })));
  }

  async update(org: string, name: string, body: RoleChanges): Promise<RoleView> {
    return this.change(async (roles) => roles.put(Object.assign(await roles.lock(org, name), body)));
  }

  /** Refused while a binding grants the role: deleting it would silently revoke access. */
  override async delete(org: string, name: string): Promise<void> {
    await this.authz.change(async (tx) => {
      const role = await tx.roles.lock(org, name);
      const users = await tx.bindings.countGranting(org, name);
      if (users > 0) {
        throw new DispatchError(ErrorCode.NAME_CONFLICT, `role "${name}" is used by ${users} polic(ies); delete or change them first`);
      }
      await tx.roles.remove(role);
    });
  }
}
