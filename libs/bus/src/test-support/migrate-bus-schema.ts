import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { BUS_SCHEMA, busMigrations } from '../in-process/migration';

/**
 * Test support: applies busMigrations the way the platform's runner does, through a TypeORM
 * DataSource whose migrations table lives in the bus schema (which must exist first).
 */
export async function migrateBusSchema(url: string): Promise<DataSource> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${BUS_SCHEMA}"`);
  } finally {
    await client.end();
  }
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    schema: BUS_SCHEMA,
    migrations: busMigrations,
    migrationsTableName: 'migrations',
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } catch (err) {
    await dataSource.destroy();
    throw err;
  }
  return dataSource;
}
