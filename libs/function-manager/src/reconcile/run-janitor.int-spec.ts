import { randomUUID } from 'node:crypto';
import { type DataSource, In } from 'typeorm';
import { createServiceDataSource, migrateSchemas } from '@dispatch/persistence';
import { createLogger } from '@dispatch/platform';
import { createTestDatabase, startTcpCutter, type TestDatabase } from '@dispatch/testing';
import { functionConfigSchema } from '../function-config';
import { Run } from '../run/run.entity';
import { FUNCTIONS_SCHEMA } from '../persistence/schema';
import { LOST_RUN_MESSAGE, OVERDUE_RUN_MESSAGE, RunJanitor } from './run-janitor';
import { RunRecorder } from '../run/run-recorder';
import { RunRepository } from '../run/run.repository';
import { RunSweepRepository } from '../run/run-sweep.repository';
import { RunnerRepository } from '../run/runner.repository';
import { RunnerLease } from '../run/runner-lease';

const HOUR = 3600_000;

/** The run table on real PostgreSQL: group-committed records, lost runs settled, retention applied. */
describe('run records', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const log = createLogger({ level: 'silent', name: 'runs-test' });

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateSchemas(db.url, [FUNCTIONS_SCHEMA], { log });
    ds = createServiceDataSource({ url: db.url, ...FUNCTIONS_SCHEMA, poolSize: 3, log });
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const runOf = (fields: Partial<Run>): Run =>
    Object.assign(new Run(), {
      id: randomUUID(),
      org: 'acme',
      functionName: 'hello',
      functionId: randomUUID(),
      version: 1,
      status: 'SUCCEEDED',
      blocking: true,
      input: { n: 1 },
      output: 'plain string output',
      error: null,
      logs: { stdout: ['a'], stderr: [] },
      secrets: [],
      trigger: { kind: 'api', id: 'req-1' },
      memoryMb: 256,
      createdTime: new Date(),
      startedTime: new Date(),
      finishedTime: new Date(),
      deadline: new Date(Date.now() + 60_000),
      runnerId: null,
      ...fields,
    });

  it('writes many runs at once in few statements, later writes of a run replacing earlier ones', async () => {
    const recorder = new RunRecorder(new RunRepository(ds));
    const runs = Array.from({ length: 300 }, (_, i) => runOf({ functionName: `f${i % 3}` }));
    const first = runs[0];
    await Promise.all([...runs.map((r) => recorder.save(r)), recorder.save({ ...first, status: 'FAILED', output: null } as Run)]);
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM "functions"."run"`)) as { n: number }[];
    expect(n).toBe(300);
    const stored = await ds.getRepository(Run).findOneByOrFail({ id: first.id });
    expect(stored).toMatchObject({ status: 'FAILED', output: null, input: { n: 1 }, logs: { stdout: ['a'], stderr: [] } });
    expect((await ds.getRepository(Run).findOneByOrFail({ id: runs[1].id })).output).toBe('plain string output');
  });

  it('sends runs saved together as one statement, and splits a batch too large for one', async () => {
    await ds.query(`DELETE FROM "functions"."run"`);
    const recorder = new RunRecorder(new RunRepository(ds));
    const query = jest.spyOn(ds, 'query');
    try {
      await Promise.all(Array.from({ length: 200 }, () => recorder.save(runOf({}))));
      expect(query.mock.calls.filter(([sql]) => sql.startsWith('INSERT'))).toHaveLength(1);
      query.mockClear();
      // Five runs with 3 MiB of logs each cannot share one 8 MiB statement.
      const line = 'x'.repeat(4096);
      const big = Array.from({ length: 5 }, () => runOf({ logs: { stdout: Array.from({ length: 768 }, () => line), stderr: [] } }));
      await Promise.all(big.map((r) => recorder.save(r)));
      expect(query.mock.calls.filter(([sql]) => sql.startsWith('INSERT')).length).toBeGreaterThanOrEqual(3);
      const stored = await ds.getRepository(Run).findOneByOrFail({ id: big[4].id });
      expect(stored.logs?.stdout).toHaveLength(768);
    } finally {
      query.mockRestore();
    }
  });

  it('stores every field as given, and tells when all saved runs are committed', async () => {
    const recorder = new RunRecorder(new RunRepository(ds));
    const created = new Date('2026-11-23T10:00:00.123Z');
    const run = runOf({ input: 'text input', output: [1, { a: null }], error: { type: 'FunctionError', message: 'boom', stack: 'at x' } as Run['error'], secrets: ['db'], createdTime: created, startedTime: null, deadline: new Date('2026-11-23T10:05:00.999Z') });
    void recorder.save(run);
    expect(recorder.pending(run.id)).toBe(run);
    await recorder.committed('acme');
    const stored = await ds.getRepository(Run).findOneByOrFail({ id: run.id });
    expect(stored).toEqual({ ...run });
    expect(recorder.pending(run.id)).toBeUndefined();
  });

  it('costs a run PostgreSQL refuses, or one that cannot be serialized, only its own record', async () => {
    await ds.query(`DELETE FROM "functions"."run"`);
    const recorder = new RunRecorder(new RunRepository(ds));
    const good = Array.from({ length: 20 }, () => runOf({}));
    const outOfRange = runOf({ memoryMb: 2 ** 40 });
    const unserializable = runOf({ output: { n: BigInt(1) } });
    const withNul = runOf({ input: 'a\u0000b', logs: { stdout: ['\u0000'], stderr: ['\\u0000 stays'] } });
    const results = await Promise.allSettled([...good, outOfRange, unserializable, withNul].map((r) => recorder.save(r)));
    expect(results.map((r) => r.status)).toEqual([...good.map(() => 'fulfilled'), 'rejected', 'rejected', 'fulfilled']);
    const stored = await ds.getRepository(Run).find();
    expect(stored.map((r) => r.id).sort()).toEqual([...good, withNul].map((r) => r.id).sort());
    // jsonb holds no U+0000: it is kept as U+FFFD, while an escaped backslash before "u0000" is left alone.
    expect(stored.find((r) => r.id === withNul.id)).toMatchObject({ input: 'a\ufffdb', logs: { stdout: ['\ufffd'], stderr: ['\\u0000 stays'] } });
  });

  it('lets a list wait only for its own org, and writes what is saved while the app stops', async () => {
    const recorder = new RunRecorder(new RunRepository(ds));
    const mine = runOf({ org: 'acme' });
    const saved = recorder.save(mine);
    await recorder.committed('other-org');
    expect(recorder.pending(mine.id)).toBe(mine);
    const stopping = recorder.onApplicationShutdown();
    const late = runOf({});
    const lateSaved = recorder.save(late);
    await stopping;
    await Promise.all([saved, lateSaved]);
    expect(await ds.getRepository(Run).countBy({ id: In([mine.id, late.id]) })).toBe(2);
  });

  it('holds runs while the database cannot be reached and writes them once it is back, telling meanwhile that the store is down', async () => {
    const url = new URL(db.url);
    const cutter = await startTcpCutter({ host: url.hostname, port: Number(url.port || 5432) });
    url.port = String(cutter.port);
    const viaCutter = createServiceDataSource({ url: url.toString(), ...FUNCTIONS_SCHEMA, poolSize: 2, log });
    await viaCutter.initialize();
    try {
      const recorder = new RunRecorder(new RunRepository(viaCutter));
      await recorder.save(runOf({}));
      expect(recorder.storeDown).toBe(false);

      await cutter.cut();
      const held = runOf({ status: 'SUCCEEDED' });
      let written = false;
      const saving = recorder.save(held).then(() => (written = true));
      const until = Date.now() + 10_000;
      while (!recorder.storeDown && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(recorder.storeDown).toBe(true);
      // Still held, and still served to this process's readers, several retries later.
      await new Promise((r) => setTimeout(r, 1000));
      expect(written).toBe(false);
      expect(recorder.pending(held.id)).toMatchObject({ id: held.id });

      await cutter.restore();
      await saving;
      expect(recorder.storeDown).toBe(false);
      expect(await ds.getRepository(Run).findOneByOrFail({ id: held.id })).toMatchObject({ status: 'SUCCEEDED' });
    } finally {
      await viaCutter.destroy().catch(() => undefined);
      await cutter.close();
    }
  });

  /** A lease of this process that judges others: its own heartbeats have been written for a whole lease. */
  async function judgingLease(config: ReturnType<typeof functionConfigSchema.parse>): Promise<RunnerLease> {
    const lease = new RunnerLease(new RunnerRepository(ds), config, log);
    await lease.onModuleInit();
    const until = Date.now() + 10_000;
    while (!lease.judgesOthers && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(lease.judgesOthers).toBe(true);
    return lease;
  }

  const runner = async (heartbeatAgoMs: number): Promise<string> => {
    const id = randomUUID();
    await ds.query(
      `INSERT INTO "functions"."runner" ("id", "host", "pid", "started_time", "heartbeat_time") VALUES ($1, 'elsewhere', 1, now(), now() - $2::int * interval '1 millisecond')`,
      [id, heartbeatAgoMs],
    );
    return id;
  };

  it('fails RUNNING runs only of runners that stopped heartbeating, saying they were lost; queued runs and live runners\' runs are kept', async () => {
    await ds.query(`DELETE FROM "functions"."run"`);
    const config = functionConfigSchema.parse({ RUN_LEASE_MS: '1000' });
    const recorder = new RunRecorder(new RunRepository(ds));
    const lease = new RunnerLease(new RunnerRepository(ds), config, log);
    await lease.onModuleInit();
    try {
      const janitor = new RunJanitor(new RunSweepRepository(ds), new RunnerRepository(ds), config, log, lease);
      const [gone, live] = [await runner(60_000), await runner(0)];
      const past = new Date(Date.now() - 60_000);
      const ofGone = runOf({ status: 'RUNNING', finishedTime: null, runnerId: gone });
      const ofMissing = runOf({ status: 'RUNNING', finishedTime: null, runnerId: randomUUID() });
      // Before its deadline (and for a lease after it), a live runner's run is its runner's to end.
      const beforeDeadline = new Date(Date.now() + 10_000);
      const ofLive = runOf({ status: 'RUNNING', finishedTime: null, runnerId: live, deadline: beforeDeadline });
      const ofMine = runOf({ status: 'RUNNING', finishedTime: null, runnerId: lease.id, deadline: beforeDeadline });
      // A lease past it, nothing is running it any more, whichever runner named it.
      const overdue = runOf({ status: 'RUNNING', finishedTime: null, runnerId: lease.id, deadline: past });
      const queued = runOf({ status: 'INITIALIZED', startedTime: null, finishedTime: null, deadline: past });
      for (const r of [ofGone, ofMissing, ofLive, ofMine, overdue, queued]) await recorder.save(r);

      // Until its own heartbeats have held for a lease (just started, or the database just came
      // back), this process cannot tell a gone runner from one that could not beat either.
      expect(lease.judgesOthers).toBe(false);
      expect((await janitor.sweep()).lost).toBe(0);

      while (!lease.judgesOthers) await new Promise((r) => setTimeout(r, 100));
      await ds.query(`UPDATE "functions"."runner" SET "heartbeat_time" = now() WHERE "id" = $1`, [live]);
      expect((await janitor.sweep()).lost).toBe(3);
      const byId = new Map((await ds.getRepository(Run).find()).map((r) => [r.id, r]));
      for (const r of [ofGone, ofMissing]) {
        expect(byId.get(r.id)).toMatchObject({ status: 'FAILED', error: { type: 'SystemError', message: LOST_RUN_MESSAGE }, finishedTime: expect.any(Date) });
      }
      expect(byId.get(overdue.id)).toMatchObject({ status: 'FAILED', error: { type: 'SystemError', message: OVERDUE_RUN_MESSAGE } });
      expect([ofLive, ofMine, queued].map((r) => byId.get(r.id)?.status)).toEqual(['RUNNING', 'RUNNING', 'INITIALIZED']);
    } finally {
      await lease.onApplicationShutdown();
    }
  });

  it('keeps its runner row beating, and forgets runners silent for a day', async () => {
    const config = functionConfigSchema.parse({ RUN_LEASE_MS: '1000' });
    const lease = await judgingLease(config);
    try {
      const forgotten = await runner(25 * HOUR);
      const recent = await runner(HOUR);
      await new RunJanitor(new RunSweepRepository(ds), new RunnerRepository(ds), config, log, lease).sweep();
      const ids = ((await ds.query(`SELECT "id" FROM "functions"."runner"`)) as { id: string }[]).map((r) => r.id);
      expect(ids).toEqual(expect.arrayContaining([lease.id, recent]));
      expect(ids).not.toContain(forgotten);
      const [{ age }] = (await ds.query(`SELECT extract(epoch FROM now() - "heartbeat_time") * 1000 AS age FROM "functions"."runner" WHERE "id" = $1`, [lease.id])) as { age: number }[];
      expect(Number(age)).toBeLessThan(5000);
    } finally {
      await lease.onApplicationShutdown();
    }
  });

  it('settles RUNNING runs from before runners were recorded by their deadline, and prunes by age and by count per function', async () => {
    await ds.query(`DELETE FROM "functions"."run"`);
    const recorder = new RunRecorder(new RunRepository(ds));
    const lost = runOf({ status: 'RUNNING', finishedTime: null, deadline: new Date(Date.now() - 1000) });
    const running = runOf({ status: 'RUNNING', finishedTime: null });
    const old = runOf({ createdTime: new Date(Date.now() - 10 * 24 * HOUR) });
    const many = Array.from({ length: 5 }, (_, i) => runOf({ functionName: 'busy', createdTime: new Date(Date.now() - i * 1000) }));
    // Queued for long, behind a backlog: waiting is no reason to be deleted, nor counted against the newest kept.
    const queuedLong = runOf({ functionName: 'busy', status: 'INITIALIZED', startedTime: null, finishedTime: null, createdTime: new Date(Date.now() - 10 * 24 * HOUR) });
    const queuedNew = Array.from({ length: 3 }, () => runOf({ functionName: 'busy', status: 'INITIALIZED', startedTime: null, finishedTime: null }));
    for (const r of [lost, running, old, ...many, queuedLong, ...queuedNew]) await recorder.save(r);

    const config = functionConfigSchema.parse({ RUN_RETENTION_DAYS: '7', RUN_RETENTION_PER_FUNCTION: '3', RUN_LEASE_MS: '1000' });
    const lease = await judgingLease(config);
    try {
      const janitor = new RunJanitor(new RunSweepRepository(ds), new RunnerRepository(ds), config, log, lease);
      expect(await janitor.sweep()).toEqual({ lost: 1, pruned: 3 });
    } finally {
      await lease.onApplicationShutdown();
    }
    const left = await ds.getRepository(Run).find();
    expect(left.find((r) => r.id === lost.id)).toMatchObject({ status: 'FAILED', error: { type: 'SystemError', message: LOST_RUN_MESSAGE } });
    expect(left.find((r) => r.id === running.id)?.status).toBe('RUNNING');
    expect(left.some((r) => r.id === old.id)).toBe(false);
    const busy = left.filter((r) => r.functionName === 'busy').map((r) => r.id);
    expect(busy.sort()).toEqual([...many.slice(0, 3), queuedLong, ...queuedNew].map((r) => r.id).sort());
  });
});
