import { OutboxRecord, serviceSchema } from '@dispatch/persistence';
import { IdentityManagerInit1763900000000 } from './migrations/1763900000000-init';

/** identity-manager's own PostgreSQL schema: its entities and the migrations that create them. */
export const IDENTITY_SCHEMA = serviceSchema('identity', [OutboxRecord], [IdentityManagerInit1763900000000]);
