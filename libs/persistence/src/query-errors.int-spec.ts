import { DataSource } from 'typeorm';
import { createTestDatabase, startTcpCutter, type TcpCutter, type TestDatabase } from '@dispatch/testing';
import { isStatementRefused, isStoreUnavailable, isUniqueViolation } from './query-errors';

/** The errors real PostgreSQL and node-postgres raise, told apart: unreachable now, or refused for good. */
describe('query errors', () => {
  let db: TestDatabase;
  let cutter: TcpCutter;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    const url = new URL(db.url);
    cutter = await startTcpCutter({ host: url.hostname, port: Number(url.port || 5432) });
    url.port = String(cutter.port);
    ds = new DataSource({ type: 'postgres', url: url.toString(), poolSize: 2, connectTimeoutMS: 1000 });
    await ds.initialize();
    await ds.query(`CREATE TABLE t (id int PRIMARY KEY)`);
    await ds.query(`INSERT INTO t VALUES (1)`);
  });
  afterAll(async () => {
    await ds?.destroy().catch(() => undefined);
    await cutter?.close();
    await db?.drop();
  });

  const failureOf = async (sql: string): Promise<unknown> =>
    ds.query(sql).then(
      () => new Error('the query succeeded'),
      (err: unknown) => err,
    );

  it('calls a broken constraint or bad SQL refused, never unavailable', async () => {
    const duplicate = await failureOf(`INSERT INTO t VALUES (1)`);
    expect([isUniqueViolation(duplicate), isStatementRefused(duplicate), isStoreUnavailable(duplicate)]).toEqual([true, true, false]);
    const syntax = await failureOf(`SELEC 1`);
    expect([isUniqueViolation(syntax), isStatementRefused(syntax), isStoreUnavailable(syntax)]).toEqual([false, true, false]);
  });

  it('calls a connection the server ended, a cut one and a refused one unavailable, never refused', async () => {
    // The server ends the connection itself (an administrator, a restart): SQLSTATE 57P01.
    const terminated = await failureOf(`SELECT pg_terminate_backend(pg_backend_pid())`);
    expect([isStoreUnavailable(terminated), isStatementRefused(terminated)]).toEqual([true, false]);

    const slow = ds.query(`SELECT pg_sleep(5)`).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 200));
    await cutter.cut();
    const cut = await slow;
    expect([isStoreUnavailable(cut), isStatementRefused(cut)]).toEqual([true, false]);
    const refused = await failureOf(`SELECT 1`);
    expect([isStoreUnavailable(refused), isStatementRefused(refused)]).toEqual([true, false]);

    await cutter.restore();
    expect(await ds.query(`SELECT count(*)::int AS n FROM t`)).toEqual([{ n: 1 }]);
  });
});
