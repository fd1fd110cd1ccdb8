import { createOutboxTableMigration } from '@dispatch/persistence';

export const ServiceCatalogInit1763900000005 = createOutboxTableMigration('catalog', 1763900000005, 'ServiceCatalogInit');
