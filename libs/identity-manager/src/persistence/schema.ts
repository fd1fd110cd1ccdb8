import { OutboxRecord, serviceSchema } from '@dispatch/persistence';
import { AUDIT_ENTITIES, AUDIT_MIGRATIONS } from '../audit';
import { SECRETS_ENTITIES, SECRETS_MIGRATIONS } from '../secrets';
import { AuthzRevision } from './entities/authz-revision.entity';
import { Organization } from './entities/organization.entity';
import { RoleBinding } from './entities/role-binding.entity';
import { ApiKey } from './entities/api-key.entity';
import { Quota } from './entities/quota.entity';
import { TrustedIssuerRecord } from './entities/trusted-issuer.entity';
import { Role } from './entities/role.entity';
import { ServiceAccount } from './entities/service-account.entity';
import { IdentityManagerInit1763900000000 } from './migrations/1763900000000-init';
import { IdentityAuthz1795429209612 } from './migrations/1795429209612-identity-authz';
import { ServiceAccounts1795430811867 } from './migrations/1795430811867-service-accounts';
import { Quotas1795431961221 } from './migrations/1795431961221-quotas';
import { TrustedIssuers1795432407761 } from './migrations/1795432407761-trusted-issuers';
import { ApiKeys1795432314224 } from './migrations/1795432314224-api-keys';

/** identity-manager's own PostgreSQL schema: its entities and the migrations that create them. */
export const IDENTITY_SCHEMA = serviceSchema(
  'identity',
  [OutboxRecord, Organization, Role, RoleBinding, AuthzRevision, ServiceAccount, Quota, ApiKey, TrustedIssuerRecord, ...SECRETS_ENTITIES, ...AUDIT_ENTITIES],
  [IdentityManagerInit1763900000000, IdentityAuthz1795429209612, ServiceAccounts1795430811867, Quotas1795431961221, ApiKeys1795432314224, TrustedIssuers1795432407761, ...SECRETS_MIGRATIONS, ...AUDIT_MIGRATIONS],
);
