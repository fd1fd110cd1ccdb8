import { OutboxRecord, serviceSchema } from '@dispatch/persistence';
import { AuthzRevision } from './entities/authz-revision.entity';
import { Organization } from './entities/organization.entity';
import { RoleBinding } from './entities/role-binding.entity';
import { Role } from './entities/role.entity';
import { IdentityManagerInit1763900000000 } from './migrations/1763900000000-init';
import { IdentityAuthz1795429209612 } from './migrations/1795429209612-identity-authz';

/** identity-manager's own PostgreSQL schema: its entities and the migrations that create them. */
export const IDENTITY_SCHEMA = serviceSchema(
  'identity',
  [OutboxRecord, Organization, Role, RoleBinding, AuthzRevision],
  [IdentityManagerInit1763900000000, IdentityAuthz1795429209612],
);
