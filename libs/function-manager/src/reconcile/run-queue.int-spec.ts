import { randomUUID } from 'node:crypto';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Bus } from '@dispatch/bus';
import { EntityStatus, ErrorCode, type FunctionSpec, RunStatus } from '@dispatch/contracts';
import { createLogger, DispatchError } from '@dispatch/platform';
import { waitFor } from '@dispatch/testing';
import { functionConfigSchema } from '../function-config';
import type { ActiveFunction } from '../run/active-function';
import { ConcurrencyLimiter } from '../run/concurrency-limiter';
import type { FunctionCatalog } from '../run/function-catalog';
import { QueuedRunsRepository } from '../run/queued-runs.repository';
import type { RunExecutor } from '../run/run-executor';
import { RunFinisher } from '../run/run-finisher';
import type { RunMetrics } from '../run/run-metrics';
import { RunRecorder } from '../run/run-recorder';
import { Run } from '../run/run.entity';
import { RunRepository } from '../run/run.repository';
import { RunsService } from '../run/run.service';
import { RunnerLease } from '../run/runner-lease';
import { RunnerRepository } from '../run/runner.repository';
import type { UsageMeter } from '../usage/usage-meter';
import type { Deployer } from './deployer';
import { RunQueue } from './run-queue';
import { useFunctionsDatabase } from '../test-support/functions-database';

const log = createLogger({ level: 'silent', name: 'run-queue-test' });
const config = functionConfigSchema.parse({ RUN_LEASE_MS: '1000', RUN_QUEUE_SCAN_MS: '100' });

function functionOf(name: string, capacity: { maxReplicas: number; maxConcurrency: number }): ActiveFunction {
  return {
    id: randomUUID(),
    org: 'acme',
    name,
    status: EntityStatus.READY,
    version: 2,
    providerName: `${name}-2`,
    spec: { timeoutSeconds: 10, memoryMb: 128, secrets: [], ...capacity } as unknown as FunctionSpec,
  };
}

/** What the provider saw: the runs called, in order, and the most in progress at once per function and in all. */
class ProviderRecord {
  calls: string[] = [];
  private now = new Map<string, number>();
  peak = new Map<string, number>();
  peakAll = 0;
  private all = 0;
  /** How long each call of a function takes, in ms. */
  readonly duration = new Map<string, number>();

  async call(fn: ActiveFunction, runId: string) {
    this.calls.push(runId);
    this.now.set(fn.name, (this.now.get(fn.name) ?? 0) + 1);
    this.peak.set(fn.name, Math.max(this.peak.get(fn.name) ?? 0, this.now.get(fn.name)!));
    this.peakAll = Math.max(this.peakAll, ++this.all);
    await new Promise((r) => setTimeout(r, this.duration.get(fn.name) ?? 20));
    this.now.set(fn.name, this.now.get(fn.name)! - 1);
    this.all--;
    return { status: RunStatus.SUCCEEDED, output: { ran: runId }, error: null, logs: { stdout: [], stderr: [] } };
  }
}

/**
 * The queue of async runs on real PostgreSQL (the run table), with the provider and the catalog
 * as stand-ins: queued runs start as room frees, each once, in order, one function's backlog
 * never holding up another's, and a stop lets the runs in progress finish.
 */
describe('RunQueue', () => {
  const stops: Array<() => Promise<void>> = [];

  const db = useFunctionsDatabase({ log, poolSize: 6 });
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    await db.ds.query(`DELETE FROM "functions"."run"`);
  });

  interface Process {
    queue: RunQueue;
    runs: RunsService;
    provider: ProviderRecord;
    lease: RunnerLease;
  }

  /** One function-manager process's queue over the shared database. */
  async function startProcess(
    functions: ActiveFunction[],
    options: {
      maxConcurrentRuns?: number;
      lookUp?: (name: string) => Promise<ActiveFunction>;
      providerRestored?: Promise<void>;
      queued?: QueuedRunsRepository;
    } = {},
  ): Promise<Process> {
    const provider = new ProviderRecord();
    const byName = new Map(functions.map((f) => [f.name, f]));
    const catalog = {
      get: async (_org: string, name: string) => {
        if (options.lookUp) return options.lookUp(name);
        const found = byName.get(name);
        if (!found) throw new DispatchError(ErrorCode.NOT_FOUND, `function "${name}" not found`);
        return found;
      },
    } as unknown as FunctionCatalog;
    const executor = { execute: (fn: ActiveFunction, call: { runId: string }) => provider.call(fn, call.runId) } as unknown as RunExecutor;
    const bus = {
      request: async () => ({ maxFunctions: 100, maxConcurrentRuns: options.maxConcurrentRuns ?? 100, maxEventsPerSecond: 100 }),
    } as unknown as Bus;
    const limiter = new ConcurrencyLimiter(bus);
    const lease = new RunnerLease(new RunnerRepository(db.ds), config, log);
    await lease.onModuleInit();
    const recorder = new RunRecorder(new RunRepository(db.ds));
    const finisher = new RunFinisher(
      executor,
      recorder,
      { count: () => undefined } as unknown as UsageMeter,
      { record: () => undefined } as unknown as RunMetrics,
    );
    const deployer = { restored: options.providerRestored ?? Promise.resolve() } as Deployer;
    const queue = new RunQueue(options.queued ?? new QueuedRunsRepository(db.ds), catalog, limiter, finisher, lease, deployer, config, log);
    const runs = new RunsService(new RunRepository(db.ds), catalog, finisher, recorder, limiter, queue, lease, log);
    queue.onModuleInit();
    if (!options.providerRestored) await deployer.restored;
    stops.push(async () => {
      await queue.beforeApplicationShutdown();
      await recorder.onApplicationShutdown();
      await lease.onApplicationShutdown();
    });
    return { queue, runs, provider, lease };
  }

  /** Queues `n` runs of `fn` as the API does (INITIALIZED rows), oldest first. */
  async function enqueue(fn: ActiveFunction, n: number): Promise<string[]> {
    const t0 = Date.now() - 60_000;
    const runs: Run[] = Array.from({ length: n }, (_, i) =>
      Object.assign(new Run(), {
        id: randomUUID(),
        org: fn.org,
        functionName: fn.name,
        functionId: fn.id,
        version: 1,
        status: RunStatus.INITIALIZED as RunStatus,
        blocking: false,
        input: { i },
        output: null,
        error: null,
        logs: null,
        secrets: [],
        trigger: { kind: 'api', id: `req-${i}` },
        memoryMb: 128,
        createdTime: new Date(t0 + i),
        startedTime: null,
        finishedTime: null,
        deadline: new Date(t0 + i + 10_000),
        runnerId: null,
      }),
    );
    await db.ds.getRepository(Run).insert(runs as QueryDeepPartialEntity<Run>[]);
    return runs.map((r) => r.id);
  }

  const statuses = async (ids: string[]) => {
    const rows = await db.ds.getRepository(Run).find();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id)!);
  };
  const allDone = (ids: string[]) =>
    waitFor(async () => (await statuses(ids)).every((r) => r.status === RunStatus.SUCCEEDED), {
      timeoutMs: 20_000,
      what: 'the runs to succeed',
    }).catch(async (err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify((await statuses(ids)).map((r) => [r.functionName, r.status, r.error]))}`);
    });

  it('queues again, and runs once, the runs of a take whose answer the database lost after committing it', async () => {
    const fn = functionOf('lossy', { maxReplicas: 1, maxConcurrency: 4 });
    /** The first take commits, then its answer is lost as when PostgreSQL is killed at that moment. */
    class LosingFirstAnswer extends QueuedRunsRepository {
      lost = 0;
      override async take(...args: Parameters<QueuedRunsRepository['take']>) {
        const taken = await super.take(...args);
        if (taken.length && this.lost++ === 0) throw Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
        return taken;
      }
    }
    const queued = new LosingFirstAnswer(db.ds);
    const p = await startProcess([fn], { queued });
    const ids = await enqueue(fn, 10);
    p.queue.wake({ org: 'acme', functionName: 'lossy' });
    await allDone(ids);
    expect(queued.lost).toBeGreaterThan(1);
    expect([...p.provider.calls].sort()).toEqual([...ids].sort());
  });

  it('runs a backlog oldest first, never more at once than the function takes, each run once', async () => {
    const fn = functionOf('pair', { maxReplicas: 1, maxConcurrency: 2 });
    const p = await startProcess([fn]);
    const ids = await enqueue(fn, 12);
    p.queue.wake({ org: 'acme', functionName: 'pair' });
    await allDone(ids);
    expect(p.provider.calls).toEqual(ids);
    expect(p.provider.peak.get('pair')).toBe(2);
    for (const run of await statuses(ids)) {
      expect(run).toMatchObject({ runnerId: p.lease.id, version: 2, output: { ran: run.id } });
      // Queued a minute ago: the deadline counts from the start, not from the queueing.
      expect(run.deadline.getTime() - run.startedTime!.getTime()).toBeGreaterThanOrEqual(10_000);
    }
  });

  it('runs an async run the API accepted, with no one but the API waking the queue', async () => {
    const fn = functionOf('accepted', { maxReplicas: 1, maxConcurrency: 1 });
    const p = await startProcess([fn]);
    const view = await p.runs.start('acme', 'accepted', { input: { n: 1 }, blocking: false, secrets: [] }, { kind: 'api', id: 'req' });
    expect(view).toMatchObject({ status: RunStatus.INITIALIZED, startedTime: null });
    await allDone([view.id]);
    expect(await p.runs.get('acme', view.id)).toMatchObject({
      status: RunStatus.SUCCEEDED,
      output: { ran: view.id },
      startedTime: expect.any(String),
    });
  });

  it("does not hold one function's runs behind another's backlog", async () => {
    const slow = functionOf('slow', { maxReplicas: 1, maxConcurrency: 1 });
    const quick = functionOf('quick', { maxReplicas: 1, maxConcurrency: 1 });
    const p = await startProcess([slow, quick]);
    p.provider.duration.set('slow', 100);
    const backlog = await enqueue(slow, 30);
    const [mine] = await enqueue(quick, 1);
    p.queue.wake({ org: 'acme', functionName: 'slow' });
    p.queue.wake({ org: 'acme', functionName: 'quick' });
    await allDone([mine]);
    expect((await statuses(backlog)).filter((r) => r.status === RunStatus.INITIALIZED).length).toBeGreaterThan(20);
  });

  it("keeps the org's runs within its quota across its functions", async () => {
    const a = functionOf('a', { maxReplicas: 2, maxConcurrency: 5 });
    const b = functionOf('b', { maxReplicas: 2, maxConcurrency: 5 });
    const p = await startProcess([a, b], { maxConcurrentRuns: 3 });
    const ids = [...(await enqueue(a, 10)), ...(await enqueue(b, 10))];
    p.queue.wake({ org: 'acme', functionName: 'a' });
    p.queue.wake({ org: 'acme', functionName: 'b' });
    await allDone(ids);
    expect(p.provider.peakAll).toBe(3);
  });

  it('gives each run to one process when several take from the same table, and finds runs nobody woke it for', async () => {
    const fn = functionOf('shared', { maxReplicas: 2, maxConcurrency: 3 });
    const processes = [await startProcess([fn]), await startProcess([fn])];
    // Nobody is woken: each process's periodic look at the table finds them.
    const ids = await enqueue(fn, 40);
    await allDone(ids);
    const calls = processes.flatMap((p) => p.provider.calls);
    expect(calls.sort()).toEqual([...ids].sort());
    expect(processes.every((p) => p.provider.calls.length > 0)).toBe(true);
  });

  it('fails the queued runs of a function that is gone, saying why, without a start time', async () => {
    const gone = functionOf('gone', { maxReplicas: 1, maxConcurrency: 1 });
    const p = await startProcess([]);
    const ids = await enqueue(gone, 3);
    p.queue.wake({ org: 'acme', functionName: 'gone' });
    await waitFor(async () => (await statuses(ids)).every((r) => r.status === RunStatus.FAILED), { what: 'the runs to fail' });
    for (const run of await statuses(ids)) {
      expect(run).toMatchObject({
        startedTime: null,
        finishedTime: expect.any(Date),
        error: { type: 'SystemError', message: expect.stringContaining('function "gone" not found') },
      });
    }
    expect(p.provider.calls).toEqual([]);
  });

  it('leaves runs queued while the catalog cannot be read, and runs them once it can', async () => {
    const fn = functionOf('flaky', { maxReplicas: 1, maxConcurrency: 4 });
    let failures = 3;
    const p = await startProcess([fn], {
      lookUp: async () => (failures-- > 0 ? Promise.reject(new Error('Connection terminated unexpectedly')) : fn),
    });
    const ids = await enqueue(fn, 5);
    p.queue.wake({ org: 'acme', functionName: 'flaky' });
    await allDone(ids);
    expect(failures).toBeLessThan(0);
    expect(p.provider.calls.sort()).toEqual([...ids].sort());
  });

  it('on stop, takes no more runs and lets those in progress finish and be recorded', async () => {
    const fn = functionOf('stopping', { maxReplicas: 1, maxConcurrency: 1 });
    const p = await startProcess([fn]);
    p.provider.duration.set('stopping', 300);
    const ids = await enqueue(fn, 5);
    p.queue.wake({ org: 'acme', functionName: 'stopping' });
    await waitFor(() => p.provider.calls.length === 1, { what: 'the first run to start' });
    await p.queue.beforeApplicationShutdown();
    const [first, ...rest] = await statuses(ids);
    expect(first.status).toBe(RunStatus.SUCCEEDED);
    expect(rest.map((r) => r.status)).toEqual(rest.map(() => RunStatus.INITIALIZED));
    expect(p.provider.calls).toHaveLength(1);
  });

  it('starts no run before the provider has the serving versions again, then runs what was queued', async () => {
    const fn = functionOf('restored', { maxReplicas: 1, maxConcurrency: 2 });
    let restore!: () => void;
    const p = await startProcess([fn], { providerRestored: new Promise<void>((resolve) => (restore = resolve)) });
    const ids = await enqueue(fn, 4);
    p.queue.wake({ org: 'acme', functionName: 'restored' });
    await new Promise((r) => setTimeout(r, 3 * config.RUN_QUEUE_SCAN_MS));
    expect(p.provider.calls).toEqual([]);
    restore();
    await allDone(ids);
    expect(p.provider.calls).toEqual(ids);
  });
});
