import type { DataSource } from 'typeorm';
import { createServiceDataSource, migrateSchemas } from '@dispatch/persistence';
import type { Logger } from '@dispatch/platform';
import { createTestDatabase, type TestDatabase } from '@dispatch/testing';
import { FUNCTIONS_SCHEMA } from '../persistence/schema';

/** The suite's database, readable once its `beforeAll` has run. */
export interface FunctionsDatabase {
  /** Connection URL of the suite's own database. */
  readonly url: string;
  /** A data source of the functions schema over it, initialized. */
  readonly ds: DataSource;
}

/**
 * A database of the suite's own with the functions schema migrated, opened before its tests and
 * dropped after them. Call it in a `describe` body: it registers the suite's `beforeAll` and `afterAll`.
 */
export function useFunctionsDatabase(options: { log: Logger; poolSize?: number }): FunctionsDatabase {
  const { log, poolSize = 3 } = options;
  let db: TestDatabase | undefined;
  let ds: DataSource | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateSchemas(db.url, [FUNCTIONS_SCHEMA], { log });
    ds = createServiceDataSource({ url: db.url, ...FUNCTIONS_SCHEMA, poolSize, log });
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });
  return {
    get url() {
      if (!db) throw new Error('the suite database is ready only once its beforeAll has run');
      return db.url;
    },
    get ds() {
      if (!ds) throw new Error('the suite database is ready only once its beforeAll has run');
      return ds;
    },
  };
}
