import { Client, type ClientConfig } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { advisoryLockKey } from './advisory-lock-key';
import { createServiceDataSource } from './data-source';
import type { PersistenceLogger } from './logger';
import type { ServiceSchema } from './service-schema';

/** Held while migrating, so two processes starting together cannot both run the same migration. */
export const MIGRATION_LOCK_KEY = advisoryLockKey('dispatch:migrations');

export interface MigrationRunResult {
  schema: string;
  /** Names of the migrations this call ran, in order; empty when the schema was up to date. */
  ran: string[];
}

/**
 * Creates each data source's schema and runs its pending migrations (each in its own
 * transaction) under a session advisory lock. The lock lives on a connection of its own, not
 * one of the data source's pool: a pool of one connection would otherwise deadlock.
 */
export async function runMigrations(dataSources: DataSource[], { log }: { log: PersistenceLogger }): Promise<MigrationRunResult[]> {
  for (const ds of dataSources) {
    if (!ds.isInitialized) throw new Error(`initialize the data source of schema "${schemaOf(ds) ?? 'public'}" before migrating`);
  }
  // One lock per database; taken in a fixed order so concurrent callers cannot deadlock.
  const databases = new Map<string, ClientConfig>();
  for (const ds of dataSources) databases.set(databaseKey(ds), clientConfig(ds));
  const locks = new Map<string, Client>();
  const results: MigrationRunResult[] = [];
  try {
    for (const key of [...databases.keys()].sort()) {
      locks.set(key, await acquireLock(databases.get(key)!, log));
    }
    for (const ds of dataSources) {
      const schema = schemaOf(ds);
      if (schema) await locks.get(databaseKey(ds))!.query(`CREATE SCHEMA IF NOT EXISTS ${quote(schema)}`);
      const ran = (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
      if (ran.length > 0) log.info({ schema, migrations: ran }, `ran ${ran.length} migration(s) in schema ${schema ?? 'public'}`);
      else log.debug({ schema }, `schema ${schema ?? 'public'} is up to date`);
      results.push({ schema: schema ?? 'public', ran });
    }
  } finally {
    for (const client of [...locks.values()].reverse()) await releaseLock(client, log);
  }
  return results;
}

async function acquireLock(config: ClientConfig, log: PersistenceLogger): Promise<Client> {
  const client = new Client(config);
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [MIGRATION_LOCK_KEY]);
    if (!rows[0]?.locked) {
      log.info('another process is migrating this database; waiting for it to finish');
      await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    }
    return client;
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
}

async function releaseLock(client: Client, log: PersistenceLogger): Promise<void> {
  try {
    await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
  } catch (err) {
    // Closing the session below releases the lock anyway.
    log.warn({ err }, 'could not release the migration lock explicitly');
  } finally {
    await client.end().catch(() => undefined);
  }
}

function options(ds: DataSource): PostgresConnectionOptions {
  if (ds.options.type !== 'postgres') throw new Error(`runMigrations supports PostgreSQL only, not ${ds.options.type}`);
  return ds.options;
}

function schemaOf(ds: DataSource): string | undefined {
  return options(ds).schema;
}

function databaseKey(ds: DataSource): string {
  const o = options(ds);
  return o.url ?? `${o.host ?? 'localhost'}:${o.port ?? 5432}/${o.database ?? ''}`;
}

function clientConfig(ds: DataSource): ClientConfig {
  const o = options(ds);
  // TypeORM hands `ssl` to the same pg driver, so the value fits pg's own option.
  const common = { application_name: 'dispatch-migrations', ssl: o.ssl as ClientConfig['ssl'] };
  if (o.url) return { ...common, connectionString: o.url };
  return {
    ...common,
    host: o.host,
    port: o.port,
    user: o.username,
    password: typeof o.password === 'string' ? o.password : undefined,
    database: o.database,
  };
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/**
 * Brings `schemas` on the database at `url` up to date: opens a one-connection data source per
 * schema, runs {@link runMigrations} under the advisory lock, and closes them again.
 */
export async function migrateSchemas(
  url: string,
  schemas: readonly ServiceSchema[],
  { log }: { log: PersistenceLogger },
): Promise<MigrationRunResult[]> {
  const dataSources = schemas.map((s) => createServiceDataSource({ url, ...s, poolSize: 1, log }));
  try {
    await Promise.all(dataSources.map((ds) => ds.initialize()));
    return await runMigrations(dataSources, { log });
  } finally {
    await Promise.all(dataSources.filter((ds) => ds.isInitialized).map((ds) => ds.destroy()));
  }
}
