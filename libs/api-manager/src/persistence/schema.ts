import { OutboxRecord, serviceSchema } from '@dispatch/persistence';
import { ApiRecord } from '../api/api.entity';
import { ApiManagerInit1763900000004 } from './migrations/1763900000004-init';
import { ApiRecords1796676149541 } from './migrations/1796676149541-api-records';

/** api-manager's own PostgreSQL schema: its entities and the migrations that create them. */
export const APIS_SCHEMA = serviceSchema('apis', [OutboxRecord, ApiRecord], [ApiManagerInit1763900000004, ApiRecords1796676149541]);
