// Loaded first, as the app loads it: the catalog and the functions service import each other.
import '../function-manager.module';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { EntityStatus, ErrorCode, RunStatus } from '@dispatch/contracts';
import { createServiceDataSource, migrateSchemas, type OutboxRelay } from '@dispatch/persistence';
import { createLogger, DispatchError } from '@dispatch/platform';
import { createTestDatabase, type TestDatabase } from '@dispatch/testing';
import type { FunctionSpec } from '../domain/function-spec';
import { functionConfigSchema } from '../function-config';
import { Run } from '../persistence/entities/run.entity';
import { FUNCTIONS_SCHEMA } from '../persistence/schema';
import type { UsageMeter } from '../usage/usage-meter';
import type { ActiveFunction } from './active-function';
import type { ConcurrencyLimiter } from './concurrency-limiter';
import type { FunctionCatalog } from './function-catalog';
import type { RunExecutor } from './run-executor';
import type { RunMetrics } from './run-metrics';
import { RunRecorder } from './run-recorder';
import { RunnerLease } from './runner-lease';
import { type QueuedRunDelivery, RunsService } from './runs.service';

/**
 * Queued runs on real PostgreSQL: each request delivery that arrives takes the run at most once,
 * and the run is executed though the bus cannot be told so. The provider and the catalog are
 * stand-ins: what is under test is the run's record.
 */
describe('queued runs', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let lease: RunnerLease;
  let recorder: RunRecorder;
  const log = createLogger({ level: 'silent', name: 'queued-runs-test' });
  const config = functionConfigSchema.parse({ RUN_LEASE_MS: '1000' });
  const fn: ActiveFunction = {
    id: randomUUID(),
    org: 'acme',
    name: 'hello',
    status: EntityStatus.READY,
    version: 3,
    providerName: 'hello-3',
    spec: { timeoutSeconds: 10, maxReplicas: 1, maxConcurrency: 1 } as FunctionSpec,
  };
  let functions: Map<string, ActiveFunction>;
  let calls: string[];

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateSchemas(db.url, [FUNCTIONS_SCHEMA], { log });
    ds = createServiceDataSource({ url: db.url, ...FUNCTIONS_SCHEMA, poolSize: 3, log });
    await ds.initialize();
    lease = new RunnerLease(ds, config, log);
    await lease.onModuleInit();
    recorder = new RunRecorder(ds);
  });
  afterAll(async () => {
    await lease?.onApplicationShutdown();
    await ds?.destroy();
    await db?.drop();
  });

  /** RunsService with `fn` in its catalog, or with `lookUp` answering instead. */
  function service(lookUp?: (name: string) => Promise<ActiveFunction>): RunsService {
    functions = new Map([[fn.name, fn]]);
    calls = [];
    const catalog = {
      get: async (_org: string, name: string) => {
        if (lookUp) return lookUp(name);
        const found = functions.get(name);
        if (!found) throw new DispatchError(ErrorCode.NOT_FOUND, `function "${name}" not found`);
        return found;
      },
    } as unknown as FunctionCatalog;
    const executor = {
      execute: async (_: ActiveFunction, call: { runId: string }) => {
        calls.push(call.runId);
        await new Promise((r) => setTimeout(r, 50));
        return { status: RunStatus.SUCCEEDED, output: { ok: true }, error: null, logs: { stdout: [], stderr: [] } };
      },
    } as unknown as RunExecutor;
    const limiter = { acquireWhenFree: async () => () => undefined } as unknown as ConcurrencyLimiter;
    const usage = { count: () => undefined } as unknown as UsageMeter;
    const metrics = { record: () => undefined } as unknown as RunMetrics;
    return new RunsService(ds, {} as OutboxRelay, catalog, executor, recorder, limiter, usage, metrics, lease, log);
  }

  async function queued(fields: Partial<Run> = {}): Promise<Run> {
    const run = Object.assign(new Run(), {
      id: randomUUID(),
      org: fn.org,
      functionName: fn.name,
      functionId: fn.id,
      version: 1,
      status: RunStatus.INITIALIZED,
      blocking: false,
      input: { n: 1 },
      output: null,
      error: null,
      logs: null,
      secrets: [],
      trigger: { kind: 'api', id: 'req' },
      memoryMb: 128,
      createdTime: new Date(Date.now() - 3600_000),
      startedTime: null,
      finishedTime: null,
      deadline: new Date(Date.now() - 3000_000),
      runnerId: null,
      ...fields,
    });
    await recorder.save(run);
    return run;
  }

  const delivery = (overrides: Partial<QueuedRunDelivery> = {}): QueuedRunDelivery & { acks: number } => {
    const d = { acks: 0, keepAlive: async () => undefined, keepAliveMs: 1000, taken: async () => void d.acks++, ...overrides };
    return d;
  };
  const stored = (id: string) => ds.getRepository(Run).findOneByOrFail({ id });

  it('takes a run once however many deliveries arrive, starting its deadline when it starts', async () => {
    const runs = service();
    const run = await queued();
    const deliveries = [delivery(), delivery(), delivery()];
    const t0 = Date.now();
    await Promise.all(deliveries.map((d) => runs.executeQueued(run.id, d)));
    expect(calls).toEqual([run.id]);
    expect(deliveries.map((d) => d.acks).reduce((a, b) => a + b)).toBe(1);
    const after = await stored(run.id);
    expect(after).toMatchObject({ status: RunStatus.SUCCEEDED, runnerId: lease.id, version: 3, output: { ok: true } });
    // Queued an hour ago with a deadline long past: the deadline counts from the start (10 s + grace).
    expect(after.startedTime!.getTime()).toBeGreaterThanOrEqual(t0 - 1000);
    expect(after.deadline.getTime() - after.startedTime!.getTime()).toBeGreaterThanOrEqual(10_000);
    await runs.executeQueued(run.id, delivery());
    expect(calls).toEqual([run.id]);
  });

  it('runs the function even when the request cannot be acknowledged', async () => {
    const runs = service();
    const run = await queued();
    await runs.executeQueued(run.id, delivery({ taken: () => Promise.reject(new Error('Connection terminated unexpectedly')) }));
    expect(calls).toEqual([run.id]);
    expect((await stored(run.id)).status).toBe(RunStatus.SUCCEEDED);
  });

  it('runs a run this process took but never ran, and leaves one another runner has', async () => {
    const runs = service();
    // Taken here, then the answer to the take was lost with the database: RUNNING on this runner, never run.
    const mine = await queued({ status: RunStatus.RUNNING, runnerId: lease.id, startedTime: new Date() });
    const theirs = await queued({ status: RunStatus.RUNNING, runnerId: randomUUID(), startedTime: new Date() });
    await runs.executeQueued(mine.id, delivery());
    await runs.executeQueued(theirs.id, delivery());
    expect(calls).toEqual([mine.id]);
    expect((await stored(mine.id)).status).toBe(RunStatus.SUCCEEDED);
    expect((await stored(theirs.id)).status).toBe(RunStatus.RUNNING);
  });

  it('fails a queued run whose function is gone, once, saying why', async () => {
    const runs = service();
    const run = await queued({ functionName: 'gone' });
    await Promise.all([runs.executeQueued(run.id, delivery()), runs.executeQueued(run.id, delivery())]);
    expect(calls).toEqual([]);
    expect(await stored(run.id)).toMatchObject({ status: RunStatus.FAILED, runnerId: lease.id, error: { type: 'SystemError', message: expect.stringContaining('function "gone" not found') } });
  });

  it('throws when the catalog fails for a reason waiting may fix, so the request comes back, leaving the run queued', async () => {
    const runs = service(() => Promise.reject(new Error('Connection terminated unexpectedly')));
    const run = await queued();
    await expect(runs.executeQueued(run.id, delivery())).rejects.toThrow(/Connection terminated/);
    expect(calls).toEqual([]);
    expect((await stored(run.id)).status).toBe(RunStatus.INITIALIZED);
  });
});
