import { createOutboxTableMigration } from '@dispatch/persistence';

export const ImageManagerInit1763900000002 = createOutboxTableMigration('images', 1763900000002, 'ImageManagerInit');
