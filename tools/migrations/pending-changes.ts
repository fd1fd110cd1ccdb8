import {
  createServiceDataSource,
  pendingSchemaChanges,
  runMigrations,
  type PersistenceLogger,
  type ServiceSchema,
} from '@dispatch/persistence';
import type { DataSource } from 'typeorm';
import { createScratchDatabase } from './scratch-database';

export interface PendingChanges {
  schema: string;
  /** SQL that would bring the migrated schema to the entities; empty when they agree. */
  up: string[];
  /** The reverse of `up`, in the order to run it. */
  down: string[];
}

/** Replays a schema's migrations on a scratch database and asks TypeORM what is still missing. */
export async function pendingChangesFor(definition: ServiceSchema, adminUrl: string, log: PersistenceLogger): Promise<PendingChanges> {
  const scratch = await createScratchDatabase(adminUrl);
  let dataSource: DataSource | undefined;
  try {
    dataSource = createServiceDataSource({ url: scratch.url, ...definition, poolSize: 2, log });
    await dataSource.initialize();
    await runMigrations([dataSource], { log });
    const up = await pendingSchemaChanges(dataSource);
    const down = up.length ? (await dataSource.driver.createSchemaBuilder().log()).downQueries.map((q) => q.query) : [];
    return { schema: definition.schema, up, down: down.reverse() };
  } finally {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await scratch.drop();
  }
}
