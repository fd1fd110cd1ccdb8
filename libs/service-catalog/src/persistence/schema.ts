import { OutboxRecord, serviceSchema } from '@dispatch/persistence';
import { ServiceCatalogInit1763900000005 } from './migrations/1763900000005-init';

/** service-catalog's own PostgreSQL schema: its entities and the migrations that create them. */
export const CATALOG_SCHEMA = serviceSchema('catalog', [OutboxRecord], [ServiceCatalogInit1763900000005]);
