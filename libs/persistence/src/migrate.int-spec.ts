import { createTestDatabase, type TestDatabase } from '@dispatch/testing';
import { Client } from 'pg';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createServiceDataSource } from './data-source';
import { MIGRATION_LOCK_KEY, runMigrations } from './migrate';
import { createOutboxTableMigration } from './outbox/outbox-table.migration';
import { OutboxRecord } from './outbox/outbox-record.entity';
import { recordingLogger } from './test-support/recording-logger';

const SCHEMA = 'svc';

/** Slow on purpose: widens the window in which two unguarded runners would both apply it. */
class CreateWidgets1763000000001 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query('SELECT pg_sleep(0.3)');
    await q.query(`CREATE TABLE "${SCHEMA}"."widgets" ("id" serial PRIMARY KEY)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "${SCHEMA}"."widgets"`);
  }
}

class Broken1763000000002 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query('SELECT no_such_function()');
  }
  async down(): Promise<void> {}
}

const MIGRATIONS = [createOutboxTableMigration(SCHEMA, 1763000000000), CreateWidgets1763000000001];

describe('runMigrations', () => {
  let db: TestDatabase;
  const open: DataSource[] = [];

  beforeEach(async () => {
    db = await createTestDatabase('dispatch_migrate');
  });

  afterEach(async () => {
    await Promise.all(
      open
        .splice(0)
        .filter((ds) => ds.isInitialized)
        .map((ds) => ds.destroy()),
    );
    await db.drop();
  });

  async function dataSource(migrations = MIGRATIONS, poolSize?: number): Promise<DataSource> {
    const ds = createServiceDataSource({ url: db.url, schema: SCHEMA, entities: [OutboxRecord], migrations, poolSize });
    open.push(ds);
    await ds.initialize();
    return ds;
  }

  async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  it('lets two concurrent runs both succeed while each migration runs exactly once', async () => {
    const [a, b] = await Promise.all([dataSource(MIGRATIONS, 1), dataSource(MIGRATIONS, 1)]);
    const log = recordingLogger();
    const results = await Promise.all([runMigrations([a], { log }), runMigrations([b], { log })]);

    const ran = results.flatMap((r) => r.flatMap((s) => s.ran)).sort();
    expect(ran).toEqual(['CreateOutboxTable1763000000000', 'CreateWidgets1763000000001']);
    const rows = await sql<{ name: string; count: string }>(
      `SELECT name, count(*) FROM "${SCHEMA}"."migrations" GROUP BY name ORDER BY name`,
    );
    expect(rows).toEqual([
      { name: 'CreateOutboxTable1763000000000', count: '1' },
      { name: 'CreateWidgets1763000000001', count: '1' },
    ]);
    // The second runner found the first one holding the lock and said so.
    expect(log.entries.some((e) => e.level === 'info' && /waiting/.test(e.msg ?? ''))).toBe(true);

    expect(await runMigrations([a], { log })).toEqual([{ schema: SCHEMA, ran: [] }]);
    expect(await sql(`SELECT 1 FROM "${SCHEMA}"."migrations"`)).toHaveLength(2);
  });

  it('releases the lock when a migration fails, keeping the ones before it', async () => {
    const ds = await dataSource([...MIGRATIONS, Broken1763000000002]);
    await expect(runMigrations([ds], { log: recordingLogger() })).rejects.toThrow(/no_such_function/);

    const held = await sql(
      // This database only: suites running at the same time migrate their own databases under the same key.
      "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND ((classid::bigint << 32) | objid::bigint) = $1::bigint",
      [MIGRATION_LOCK_KEY],
    );
    expect(held).toEqual([]);
    expect(await sql(`SELECT name FROM "${SCHEMA}"."migrations" ORDER BY id`)).toEqual([
      { name: 'CreateOutboxTable1763000000000' },
      { name: 'CreateWidgets1763000000001' },
    ]);
  });

  it('refuses a data source that is not initialised', async () => {
    const ds = createServiceDataSource({ url: db.url, schema: SCHEMA, entities: [], migrations: [] });
    await expect(runMigrations([ds], { log: recordingLogger() })).rejects.toThrow(/initialize/);
  });
});
