import type { Constructor } from '@dispatch/persistence';
import { IdentityManagerInit1763900000000 } from './1763900000000-init';
import { IdentityAuthz1795429209612 } from './1795429209612-identity-authz';
import { ServiceAccounts1795430811867 } from './1795430811867-service-accounts';
import { Secrets1795431106297 } from './1795431106297-secrets';
import { Audit1795431356006 } from './1795431356006-audit';
import { Quotas1795431961221 } from './1795431961221-quotas';
import { ApiKeys1795432314224 } from './1795432314224-api-keys';
import { TrustedIssuers1795432407761 } from './1795432407761-trusted-issuers';

/**
 * identity-manager's one migration stream. TypeORM runs them by the timestamp in their class
 * names, so a new one is added here in that order; names never change once released, since
 * applied databases record them by name.
 */
export const IDENTITY_MIGRATIONS: Constructor[] = [
  IdentityManagerInit1763900000000,
  IdentityAuthz1795429209612,
  ServiceAccounts1795430811867,
  Secrets1795431106297,
  Audit1795431356006,
  Quotas1795431961221,
  ApiKeys1795432314224,
  TrustedIssuers1795432407761,
];
