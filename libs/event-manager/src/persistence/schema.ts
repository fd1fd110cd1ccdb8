import { OutboxRecord, serviceSchema } from '@dispatch/persistence';
import { EventManagerInit1763900000003 } from './migrations/1763900000003-init';

/** event-manager's own PostgreSQL schema: its entities and the migrations that create them. */
export const EVENTS_SCHEMA = serviceSchema('events', [OutboxRecord], [EventManagerInit1763900000003]);
