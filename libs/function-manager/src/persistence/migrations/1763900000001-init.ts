import { createOutboxTableMigration } from '@dispatch/persistence';

export const FunctionManagerInit1763900000001 = createOutboxTableMigration('functions', 1763900000001, 'FunctionManagerInit');
