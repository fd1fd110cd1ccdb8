import { DataSource } from 'typeorm';
import { createTestDatabase, startTcpCutter, type TcpCutter, type TestDatabase } from '@dispatch/testing';
import { preparedQuery } from './prepared-query';
import { isStatementRefused, isStoreUnavailable, isUniqueViolation } from './query-errors';

/** Named prepared statements on real PostgreSQL: prepared once per connection, failing as TypeORM's queries fail. */
describe('preparedQuery', () => {
  let db: TestDatabase;
  let cutter: TcpCutter;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    const url = new URL(db.url);
    cutter = await startTcpCutter({ host: url.hostname, port: Number(url.port || 5432) });
    url.port = String(cutter.port);
    // One connection, so the session that prepared the statement is the one asked about it.
    ds = new DataSource({ type: 'postgres', url: url.toString(), poolSize: 1, connectTimeoutMS: 1000 });
    await ds.initialize();
    await ds.query(`CREATE TABLE t (id int PRIMARY KEY, v text)`);
  });
  afterAll(async () => {
    await ds?.destroy().catch(() => undefined);
    await cutter?.close();
    await db?.drop();
  });

  const insert = (id: number, v: string) => preparedQuery(ds, 'test.insert', 'INSERT INTO t VALUES ($1, $2) RETURNING v', [id, v]);

  it('runs the statement with its values, prepared once on the connection and reused', async () => {
    expect(await insert(1, 'a')).toEqual([{ v: 'a' }]);
    expect(await insert(2, 'b')).toEqual([{ v: 'b' }]);
    const prepared = (await ds.query(`SELECT name, statement FROM pg_prepared_statements`)) as { name: string; statement: string }[];
    expect(prepared).toEqual([{ name: 'test.insert', statement: 'INSERT INTO t VALUES ($1, $2) RETURNING v' }]);
  });

  it('fails as TypeORM queries fail: a refused statement is refused, a cut connection unavailable', async () => {
    const duplicate = await insert(1, 'again').catch((err: unknown) => err);
    expect([isUniqueViolation(duplicate), isStatementRefused(duplicate), isStoreUnavailable(duplicate)]).toEqual([true, true, false]);
    await cutter.cut();
    const cut = await insert(3, 'c').catch((err: unknown) => err);
    expect(isStoreUnavailable(cut)).toBe(true);
    await cutter.restore();
    // The pool's new connection prepares the statement again by itself.
    let answer: unknown;
    for (let i = 0; i < 50 && !answer; i++)
      answer = await insert(4, 'd').catch(() => new Promise((r) => setTimeout(() => r(undefined), 100)));
    expect(answer).toEqual([{ v: 'd' }]);
  });
});
