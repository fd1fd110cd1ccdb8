import { OutboxRecord, serviceSchema } from '@dispatch/persistence';
import { ApiManagerInit1763900000004 } from './migrations/1763900000004-init';

/** api-manager's own PostgreSQL schema: its entities and the migrations that create them. */
export const APIS_SCHEMA = serviceSchema('apis', [OutboxRecord], [ApiManagerInit1763900000004]);
