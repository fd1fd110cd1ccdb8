import { createOutboxTableMigration } from '@dispatch/persistence';

export const EventManagerInit1763900000003 = createOutboxTableMigration('events', 1763900000003, 'EventManagerInit');
