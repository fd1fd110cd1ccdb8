import type { DataSource } from 'typeorm';
import { createServiceDataSource, migrateSchemas } from '@dispatch/persistence';
import type { Logger } from '@dispatch/platform';
import { createTestDatabase, type TestDatabase } from '@dispatch/testing';
import { APIS_SCHEMA } from '../persistence/schema';

/**
 * A database of the suite's own with the apis schema migrated, opened before its tests and dropped
 * after them. Call it in a `describe` body: it registers the suite's `beforeAll` and `afterAll`.
 */
export function useApisDatabase(options: { log: Logger }): { readonly ds: DataSource } {
  let db: TestDatabase | undefined;
  let ds: DataSource | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateSchemas(db.url, [APIS_SCHEMA], { log: options.log });
    ds = createServiceDataSource({ url: db.url, ...APIS_SCHEMA, poolSize: 3, log: options.log });
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });
  return {
    get ds() {
      if (!ds) throw new Error('the suite database is ready only once its beforeAll has run');
      return ds;
    },
  };
}
