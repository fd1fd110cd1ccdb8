import { randomUUID } from 'node:crypto';
import { createLogger } from '@dispatch/platform';
import { functionConfigSchema } from '../function-config';
import { IdempotencyKeyRepository } from '../invoke/idempotency-key.repository';
import { Run } from '../run/run.entity';
import { RunRecorder } from '../run/run-recorder';
import { RunRepository } from '../run/run.repository';
import { RunSweepRepository } from '../run/run-sweep.repository';
import { RunnerLease } from '../run/runner-lease';
import { RunnerRepository } from '../run/runner.repository';
import { runOf } from '../run/test-support/run-of';
import { LOST_RUN_MESSAGE, OVERDUE_RUN_MESSAGE, RunJanitor } from './run-janitor';
import { useFunctionsDatabase } from '../test-support/functions-database';

const HOUR = 3600_000;

/** The run table kept honest and bounded on real PostgreSQL: lost runs settled, retention applied. */
describe('run janitor', () => {
  const log = createLogger({ level: 'silent', name: 'run-janitor-test' });

  const db = useFunctionsDatabase({ log });

  /** A lease of this process that judges others: its own heartbeats have been written for a whole lease. */
  async function judgingLease(config: ReturnType<typeof functionConfigSchema.parse>): Promise<RunnerLease> {
    const lease = new RunnerLease(new RunnerRepository(db.ds), config, log);
    await lease.onModuleInit();
    const until = Date.now() + 10_000;
    while (!lease.judgesOthers && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(lease.judgesOthers).toBe(true);
    return lease;
  }

  const janitorOf = (config: ReturnType<typeof functionConfigSchema.parse>, lease: RunnerLease) =>
    new RunJanitor(new RunSweepRepository(db.ds), new RunnerRepository(db.ds), config, log, lease, new IdempotencyKeyRepository(db.ds));

  const runner = async (heartbeatAgoMs: number): Promise<string> => {
    const id = randomUUID();
    await db.ds.query(
      `INSERT INTO "functions"."runner" ("id", "host", "pid", "started_time", "heartbeat_time") VALUES ($1, 'elsewhere', 1, now(), now() - $2::int * interval '1 millisecond')`,
      [id, heartbeatAgoMs],
    );
    return id;
  };

  it("fails RUNNING runs only of runners that stopped heartbeating, saying they were lost; queued runs and live runners' runs are kept", async () => {
    await db.ds.query(`DELETE FROM "functions"."run"`);
    const config = functionConfigSchema.parse({ RUN_LEASE_MS: '1000' });
    const recorder = new RunRecorder(new RunRepository(db.ds));
    const lease = new RunnerLease(new RunnerRepository(db.ds), config, log);
    await lease.onModuleInit();
    try {
      const janitor = janitorOf(config, lease);
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
      await db.ds.query(`UPDATE "functions"."runner" SET "heartbeat_time" = now() WHERE "id" = $1`, [live]);
      expect((await janitor.sweep()).lost).toBe(3);
      const byId = new Map((await db.ds.getRepository(Run).find()).map((r) => [r.id, r]));
      for (const r of [ofGone, ofMissing]) {
        expect(byId.get(r.id)).toMatchObject({
          status: 'FAILED',
          error: { type: 'SystemError', message: LOST_RUN_MESSAGE },
          finishedTime: expect.any(Date),
        });
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
      await janitorOf(config, lease).sweep();
      const ids = ((await db.ds.query(`SELECT "id" FROM "functions"."runner"`)) as { id: string }[]).map((r) => r.id);
      expect(ids).toEqual(expect.arrayContaining([lease.id, recent]));
      expect(ids).not.toContain(forgotten);
      const [{ age }] = (await db.ds.query(
        `SELECT extract(epoch FROM now() - "heartbeat_time") * 1000 AS age FROM "functions"."runner" WHERE "id" = $1`,
        [lease.id],
      )) as { age: number }[];
      expect(Number(age)).toBeLessThan(5000);
    } finally {
      await lease.onApplicationShutdown();
    }
  });

  it('settles RUNNING runs from before runners were recorded by their deadline, and prunes by age and by count per function', async () => {
    await db.ds.query(`DELETE FROM "functions"."run"`);
    const recorder = new RunRecorder(new RunRepository(db.ds));
    const lost = runOf({ status: 'RUNNING', finishedTime: null, deadline: new Date(Date.now() - 1000) });
    const running = runOf({ status: 'RUNNING', finishedTime: null });
    const old = runOf({ createdTime: new Date(Date.now() - 10 * 24 * HOUR) });
    const many = Array.from({ length: 5 }, (_, i) => runOf({ functionName: 'busy', createdTime: new Date(Date.now() - i * 1000) }));
    // Queued for long, behind a backlog: waiting is no reason to be deleted, nor counted against the newest kept.
    const queuedLong = runOf({
      functionName: 'busy',
      status: 'INITIALIZED',
      startedTime: null,
      finishedTime: null,
      createdTime: new Date(Date.now() - 10 * 24 * HOUR),
    });
    const queuedNew = Array.from({ length: 3 }, () =>
      runOf({ functionName: 'busy', status: 'INITIALIZED', startedTime: null, finishedTime: null }),
    );
    for (const r of [lost, running, old, ...many, queuedLong, ...queuedNew]) await recorder.save(r);

    const config = functionConfigSchema.parse({ RUN_RETENTION_DAYS: '7', RUN_RETENTION_PER_FUNCTION: '3', RUN_LEASE_MS: '1000' });
    const lease = await judgingLease(config);
    try {
      const janitor = janitorOf(config, lease);
      expect(await janitor.sweep()).toEqual({ lost: 1, pruned: 3 });
    } finally {
      await lease.onApplicationShutdown();
    }
    const left = await db.ds.getRepository(Run).find();
    expect(left.find((r) => r.id === lost.id)).toMatchObject({
      status: 'FAILED',
      error: { type: 'SystemError', message: LOST_RUN_MESSAGE },
    });
    expect(left.find((r) => r.id === running.id)?.status).toBe('RUNNING');
    expect(left.some((r) => r.id === old.id)).toBe(false);
    const busy = left.filter((r) => r.functionName === 'busy').map((r) => r.id);
    expect(busy.sort()).toEqual([...many.slice(0, 3), queuedLong, ...queuedNew].map((r) => r.id).sort());
  });

  it('forgets idempotency keys past their window, and keeps those within it', async () => {
    const keys = new IdempotencyKeyRepository(db.ds);
    const config = functionConfigSchema.parse({ IDEMPOTENCY_WINDOW_SECONDS: '60', RUN_LEASE_MS: '1000' });
    const fresh = { org: 'acme', functionName: 'f', key: 'fresh' };
    const old = { org: 'acme', functionName: 'f', key: 'old' };
    expect(await keys.claim(fresh, 'h1', 60)).toBe(true);
    expect(await keys.claim(old, 'h2', 60)).toBe(true);
    await keys.settle(old, randomUUID());
    await db.ds.query(`UPDATE "functions"."idempotency_key" SET "created_time" = now() - interval '2 minutes' WHERE "key" = 'old'`);
    const lease = new RunnerLease(new RunnerRepository(db.ds), config, log);
    await janitorOf(config, lease).sweep();
    const left = (await db.ds.query(`SELECT "key" FROM "functions"."idempotency_key" WHERE "org" = 'acme'`)) as { key: string }[];
    expect(left.map((k) => k.key)).toEqual(['fresh']);
  });
});
