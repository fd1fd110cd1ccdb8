import { createOutboxTableMigration } from '@dispatch/persistence';

export const IdentityManagerInit1763900000000 = createOutboxTableMigration('identity', 1763900000000, 'IdentityManagerInit');
