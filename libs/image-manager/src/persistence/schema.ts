import { OutboxRecord, serviceSchema } from '@dispatch/persistence';
import { ImageManagerInit1763900000002 } from './migrations/1763900000002-init';

/** image-manager's own PostgreSQL schema: its entities and the migrations that create them. */
export const IMAGES_SCHEMA = serviceSchema('images', [OutboxRecord], [ImageManagerInit1763900000002]);
