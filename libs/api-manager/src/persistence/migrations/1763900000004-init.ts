import { createOutboxTableMigration } from '@dispatch/persistence';

export const ApiManagerInit1763900000004 = createOutboxTableMigration('apis', 1763900000004, 'ApiManagerInit');
