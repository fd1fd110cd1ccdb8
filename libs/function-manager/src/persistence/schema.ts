import { OutboxRecord, serviceSchema } from '@dispatch/persistence';
import { FunctionManagerInit1763900000001 } from './migrations/1763900000001-init';

/** function-manager's own PostgreSQL schema: its entities and the migrations that create them. */
export const FUNCTIONS_SCHEMA = serviceSchema('functions', [OutboxRecord], [FunctionManagerInit1763900000001]);
