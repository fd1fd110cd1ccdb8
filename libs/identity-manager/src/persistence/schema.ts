import { OutboxRecord, serviceSchema } from '@dispatch/persistence';
import { ApiKey } from '../api-key/api-key.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { AuthzRevision } from '../authz/authz-revision.entity';
import { Organization } from '../organization/organization.entity';
import { Quota } from '../quota/quota.entity';
import { RoleBinding } from '../role-binding/role-binding.entity';
import { Role } from '../role/role.entity';
import { Secret } from '../secret/secret.entity';
import { ServiceAccount } from '../service-account/service-account.entity';
import { TrustedIssuerRecord } from '../trusted-issuer/trusted-issuer.entity';
import { IDENTITY_MIGRATIONS } from './migrations';

/** identity-manager's own PostgreSQL schema: its entities and the migrations that create them. */
export const IDENTITY_SCHEMA = serviceSchema(
  'identity',
  [OutboxRecord, Organization, Role, RoleBinding, AuthzRevision, ServiceAccount, Quota, ApiKey, TrustedIssuerRecord, Secret, AuditEvent],
  IDENTITY_MIGRATIONS,
);
