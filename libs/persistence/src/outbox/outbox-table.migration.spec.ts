import type { QueryRunner } from 'typeorm';
import { createOutboxTableMigration } from './outbox-table.migration';

function capturingRunner(): { runner: QueryRunner; sql: string[] } {
  const sql: string[] = [];
  const runner = { query: async (q: string) => void sql.push(q) } as unknown as QueryRunner;
  return { runner, sql };
}

describe('createOutboxTableMigration', () => {
  it('names the migration so TypeORM reads its timestamp, on the class and the instance', () => {
    const Migration = createOutboxTableMigration('identity', 1763900000000, 'IdentityManagerInit');
    expect(Migration.name).toBe('IdentityManagerInit1763900000000');
    expect(new Migration().name).toBe('IdentityManagerInit1763900000000');
    expect(new (createOutboxTableMigration('identity', 1763900000000))().name).toBe('CreateOutboxTable1763900000000');
  });

  it('creates the table and its indexes in the given schema and drops them on down', async () => {
    const migration = new (createOutboxTableMigration('functions', 1763900000000))();
    const { runner, sql } = capturingRunner();
    await migration.up(runner);
    expect(sql[0]).toMatch(/^CREATE TABLE "functions"\."outbox" \(/);
    expect(sql.slice(1)).toEqual([
      'CREATE INDEX "outbox_unpublished_idx" ON "functions"."outbox" ("seq") WHERE "published_at" IS NULL',
      'CREATE INDEX "outbox_published_at_idx" ON "functions"."outbox" ("published_at") WHERE "published_at" IS NOT NULL',
    ]);
    sql.length = 0;
    await migration.down(runner);
    expect(sql).toEqual(['DROP TABLE "functions"."outbox"']);
  });

  it('rejects timestamps TypeORM would misread and names that are not identifiers', () => {
    expect(() => createOutboxTableMigration('s', 176390000000)).toThrow(/13 digits/);
    expect(() => createOutboxTableMigration('s', 1.5)).toThrow(/13 digits/);
    expect(() => createOutboxTableMigration('s', 1763900000000, 'not valid')).toThrow(/identifier/);
  });
});
