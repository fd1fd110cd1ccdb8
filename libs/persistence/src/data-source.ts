import { DataSource } from 'typeorm';
import { Client } from 'pg';
import type { PersistenceLogger } from './logger';
import type { Constructor } from './service-schema';
import { TypeOrmLoggerAdapter } from './typeorm-logger';

/** How long getting a connection may take before the query fails (and the request answers 503). */
export const CONNECT_TIMEOUT_MS = 5000;

export interface ServiceDataSourceOptions {
  url: string;
  /** The service's own PostgreSQL schema; also holds its `migrations` table. */
  schema: string;
  entities: readonly Constructor[];
  migrations: readonly Constructor[];
  /** Connections in the pool. Default 5. */
  poolSize?: number;
  /** Receives TypeORM's own messages (migrations, slow queries); without it they are dropped. */
  log?: PersistenceLogger;
  /** Queries slower than this are logged as warnings (only when `log` is given). Default 1000 ms. */
  slowQueryMs?: number;
}

/**
 * A service's DataSource. Schema changes happen only through migrations, run explicitly
 * (see runMigrations), never as a side effect of connecting.
 */
export function createServiceDataSource(options: ServiceDataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: [...options.entities],
    migrations: [...options.migrations],
    synchronize: false,
    migrationsRun: false,
    // gen_random_uuid() is built into PostgreSQL 13+; uuid-ossp would need an extension installed.
    uuidExtension: 'pgcrypto',
    // Resolved inside `schema`, so every service keeps its own migration history.
    migrationsTableName: 'migrations',
    applicationName: `dispatch-${options.schema}`,
    extra: { max: options.poolSize ?? 5 },
    // Without it a query waits for ever for a connection to a database that does not answer.
    connectTimeoutMS: CONNECT_TIMEOUT_MS,
    logger: new TypeOrmLoggerAdapter(options.log),
    ...(options.log ? { maxQueryExecutionTime: options.slowQueryMs ?? 1000 } : {}),
  });
}

/** Connects once and disconnects: whether PostgreSQL at `url` accepts this service now (a start-up check). */
export async function pingDatabase(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A connection cut while connecting must reject the ping, not crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}
