import { BUILTIN_ROLES, ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';
import type { RoleRepository } from './role.repository';

export const isBuiltinRole = (role: string) => (BUILTIN_ROLES as readonly string[]).includes(role);

/** Refuses a grant of a role the org does not have (built-in roles exist in every org). */
export async function assertRoleExists(roles: RoleRepository, org: string, role: string): Promise<void> {
  if (isBuiltinRole(role) || (await roles.byName(org, role))) return;
  throw new DispatchError(
    ErrorCode.ROLE_NOT_FOUND,
    `role "${role}" does not exist in org "${org}"; use one of ${BUILTIN_ROLES.join(', ')} or create it first`,
  );
}
