import { createOutboxTableMigration, OutboxRecord, serviceSchema } from '@dispatch/persistence';
import { TEST_ADMIN_DATABASE_URL } from '@dispatch/testing';
import { Client } from 'pg';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { checkSchemas } from './check-schemas';
import { pendingChangesFor } from './pending-changes';
import { ALL_SCHEMAS } from './schemas';

@Entity({ name: 'settings' })
class Setting {
  @PrimaryColumn({ type: 'text' }) key!: string;
  @Column({ type: 'jsonb' }) value!: unknown;
}

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const drifting = serviceSchema('drifting', [OutboxRecord, Setting], [createOutboxTableMigration('drifting', 1763000000000)]);

async function scratchDatabases(): Promise<string[]> {
  const client = new Client({ connectionString: TEST_ADMIN_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'dispatch\\_migrations\\_%'",
    );
    return rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}

describe('checkSchemas', () => {
  it('reports ok for every registered schema', async () => {
    const lines: string[] = [];
    const clean = await checkSchemas(ALL_SCHEMAS, TEST_ADMIN_DATABASE_URL, { log: quiet, write: (l) => lines.push(l) });
    expect(lines).toEqual(ALL_SCHEMAS.map((s) => `${s.schema}: ok`));
    expect(clean).toBe(true);
  });

  it('fails and prints the missing SQL when an entity has no migration, leaving no scratch database', async () => {
    const before = await scratchDatabases();
    const lines: string[] = [];
    const clean = await checkSchemas([drifting], TEST_ADMIN_DATABASE_URL, { log: quiet, write: (l) => lines.push(l) });
    expect(clean).toBe(false);
    expect(lines[0]).toBe('drifting: entities and migrations disagree; missing SQL:');
    expect(lines[1]).toMatch(/^ {2}CREATE TABLE "drifting"\."settings"/);
    expect(await scratchDatabases()).toEqual(before);
  });
});

describe('pendingChangesFor', () => {
  it('gives the statements that undo the pending ones, for generated migrations', async () => {
    const { up, down } = await pendingChangesFor(drifting, TEST_ADMIN_DATABASE_URL, quiet);
    expect(up).toEqual([expect.stringMatching(/^CREATE TABLE "drifting"\."settings"/)]);
    expect(down).toEqual(['DROP TABLE "drifting"."settings"']);
  });
});
