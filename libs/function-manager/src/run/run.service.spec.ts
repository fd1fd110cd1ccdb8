import type { Bus } from '@dispatch/bus';
import { EntityStatus, ErrorCode, RunErrorType, RunStatus } from '@dispatch/contracts';
import { createLogger, DispatchError } from '@dispatch/platform';
import { functionNotFound } from '../function/function-not-found';
import type { Run } from './run.entity';
import { failure, InMemoryProvider, replied } from '../provider/test-support/in-memory-provider';
import type { CallAnswer } from '../provider/function-provider';
import type { UsageMeter } from '../usage/usage-meter';
import type { ActiveFunction } from './active-function';
import { ConcurrencyLimiter } from './concurrency-limiter';
import type { FunctionCatalog } from './function-catalog';
import { RunExecutor } from './run-executor';
import { RunFinisher } from './run-finisher';
import type { RunMetrics } from './run-metrics';
import type { RunQueue } from '../reconcile/run-queue';
import type { RunRecorder } from './run-recorder';
import type { RunRepository } from './run.repository';
import type { RunnerLease } from './runner-lease';
import { RunsService } from './run.service';
import { ServiceBindingInjector } from './service-binding-injector';
import { activeFunction, specOf } from './test-support/active-functions';

const log = createLogger({ level: 'silent', name: 'runs-service-test' });
const trigger = { kind: 'api' as const, id: 'req-1' };
const blocking = { input: { name: 'Ada' }, blocking: true, secrets: [] };

/**
 * The run records in memory, standing in for both the recorder (records of started runs, written
 * after the answer) and the repository (queued runs, reads).
 */
class RecordStore {
  readonly rows = new Map<string, Run>();
  /** Answered runs whose record is not written yet. */
  readonly uncommitted = new Map<string, Run>();
  storeDown = false;
  readonly recordIfLong = jest.fn((run: Run) => expect(run.status).toBe(RunStatus.RUNNING));

  async save(run: Run): Promise<void> {
    this.rows.set(run.id, { ...run });
  }

  pending(id: string): Run | undefined {
    return this.uncommitted.get(id);
  }

  async committed(): Promise<void> {}

  async add(run: Run): Promise<void> {
    this.rows.set(run.id, { ...run });
  }

  async byId(org: string, id: string): Promise<Run | null> {
    const run = this.rows.get(id);
    return run?.org === org ? run : null;
  }
}

function serviceWith(functions: ActiveFunction[], options: { maxConcurrentRuns?: number } = {}) {
  const store = new RecordStore();
  const provider = new InMemoryProvider();
  for (const fn of functions) {
    if (fn.providerName)
      provider.hold({
        providerName: fn.providerName,
        image: 'local/abc',
        org: fn.org,
        functionName: fn.name,
        version: fn.version ?? 0,
        spec: fn.spec,
      });
  }
  const catalog = {
    get: jest.fn(async (org: string, name: string) => {
      const found = functions.find((f) => f.org === org && f.name === name);
      if (!found) throw functionNotFound(name);
      return found;
    }),
  };
  const quotas = { maxFunctions: 100, maxConcurrentRuns: options.maxConcurrentRuns ?? 100, maxEventsPerSecond: 100 };
  const bus = { request: async () => quotas } as unknown as Bus;
  const limiter = new ConcurrencyLimiter(bus);
  const usage = { count: jest.fn() };
  const metrics = { record: jest.fn() };
  const queue = { wake: jest.fn() };
  const recorder = store as unknown as RunRecorder;
  const finisher = new RunFinisher(
    new RunExecutor(provider, bus, new ServiceBindingInjector()),
    recorder,
    usage as unknown as UsageMeter,
    metrics as unknown as RunMetrics,
  );
  const runs = new RunsService(
    store as unknown as RunRepository,
    catalog as unknown as FunctionCatalog,
    finisher,
    recorder,
    limiter,
    queue as unknown as RunQueue,
    { id: 'runner-1' } as unknown as RunnerLease,
    log,
  );
  /** The run's record, once written (the service answers before). */
  const recorded = async (id: string) => {
    for (let i = 0; i < 100 && !store.rows.has(id); i++) await new Promise((r) => setImmediate(r));
    return store.rows.get(id)!;
  };
  return { runs, provider, catalog, limiter, usage, metrics, queue, store, recorded };
}

describe('RunsService over an in-memory provider', () => {
  const hello = activeFunction('hello', { spec: specOf({ timeoutSeconds: 3, memoryMb: 128 }) });

  it('answers a blocking run with its outcome, then records it with its usage and metrics and gives its room back', async () => {
    const { runs, provider, limiter, usage, metrics, store, recorded } = serviceWith([hello]);
    provider.answerNext(replied({ greeting: 'hi' }, { stdout: ['hello'], stderr: [] }));
    const view = await runs.start('acme', 'hello', blocking, trigger);
    expect(view).toMatchObject({
      org: 'acme',
      functionName: 'hello',
      functionVersion: 1,
      status: 'SUCCEEDED',
      blocking: true,
      output: { greeting: 'hi' },
      error: null,
      logs: { stdout: ['hello'], stderr: [] },
      trigger,
    });
    expect(view.durationMs).toEqual(expect.any(Number));
    expect(provider.calls.map((c) => [c.providerName, c.envelope.context.runId, c.envelope.payload])).toEqual([
      ['hello-v1', view.id, { name: 'Ada' }],
    ]);
    expect(store.recordIfLong).toHaveBeenCalledTimes(1);
    expect(await recorded(view.id)).toMatchObject({
      status: RunStatus.SUCCEEDED,
      runnerId: 'runner-1',
      memoryMb: 128,
      output: { greeting: 'hi' },
    });
    expect(usage.count).toHaveBeenCalledWith('acme', expect.any(Number), 128, expect.any(Date));
    expect(metrics.record).toHaveBeenCalledWith(RunStatus.SUCCEEDED, true, expect.any(Number));
    expect(limiter.running('acme')).toBe(0);
  });

  it.each<[string, CallAnswer, object]>([
    [
      'the provider stopped it at its timeout',
      failure('timeout'),
      { status: 'TIMED_OUT', error: { type: RunErrorType.FunctionError, message: expect.stringContaining('timeout of 3 s') } },
    ],
    [
      'its process went over its memory limit',
      failure('memory', 'killed'),
      { status: 'FAILED', error: { type: RunErrorType.FunctionError, message: expect.stringContaining('memory limit of 128 MB') } },
    ],
    [
      'its process exited',
      failure('crash', 'exited with code 1'),
      { status: 'FAILED', error: { type: RunErrorType.FunctionError, message: expect.stringContaining('exited with code 1') } },
    ],
    [
      'the provider could not start it',
      failure('unavailable', 'no worker is ready'),
      { status: 'FAILED', error: { type: RunErrorType.SystemError } },
    ],
  ])('answers and records a blocking run whose call failed because %s, and gives its room back', async (_why, answer, expected) => {
    const { runs, provider, limiter, metrics, recorded } = serviceWith([hello]);
    provider.answerNext(answer);
    const view = await runs.start('acme', 'hello', blocking, trigger);
    expect(view).toMatchObject({ ...expected, output: null });
    expect(await recorded(view.id)).toMatchObject(expected);
    expect(metrics.record).toHaveBeenCalledWith(view.status, true, expect.any(Number));
    expect(limiter.running('acme')).toBe(0);
  });

  it('answers a blocking run with a SystemError when the provider cannot be reached, and gives its room back', async () => {
    const { runs, provider, limiter } = serviceWith([hello]);
    provider.unreachable();
    const view = await runs.start('acme', 'hello', blocking, trigger);
    expect(view).toMatchObject({
      status: 'FAILED',
      error: { type: RunErrorType.SystemError, message: 'the function provider failed: function provider is not reachable (ECONNREFUSED)' },
    });
    expect(limiter.running('acme')).toBe(0);
  });

  it('queues an async run without calling the function: INITIALIZED, recorded before the answer, the queue woken', async () => {
    const { runs, provider, queue, store } = serviceWith([hello]);
    const view = await runs.start('acme', 'hello', { ...blocking, blocking: false }, trigger);
    expect(view).toMatchObject({ status: 'INITIALIZED', blocking: false, startedTime: null, finishedTime: null, durationMs: null });
    expect(store.rows.get(view.id)).toMatchObject({ status: RunStatus.INITIALIZED, runnerId: null, input: { name: 'Ada' } });
    expect(queue.wake).toHaveBeenCalledWith({ org: 'acme', functionName: 'hello' });
    expect(provider.calls).toHaveLength(0);
  });

  it('refuses a run of a function with no version serving, or being deleted, with FUNCTION_NOT_READY', async () => {
    const creating = activeFunction('creating', { status: EntityStatus.CREATING, version: null, providerName: null });
    const deleting = activeFunction('deleting', { status: EntityStatus.DELETING });
    const { runs, provider, store } = serviceWith([creating, deleting]);
    for (const name of ['creating', 'deleting']) {
      await expect(runs.start('acme', name, blocking, trigger)).rejects.toMatchObject({
        code: ErrorCode.FUNCTION_NOT_READY,
        message: expect.stringContaining(`GET /v1/function/${name}`),
      });
    }
    await expect(runs.start('acme', 'nothing', blocking, trigger)).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
    expect(provider.calls).toHaveLength(0);
    expect(store.rows.size).toBe(0);
  });

  it('refuses every run with STORE_UNAVAILABLE while records cannot be written, before reading the function', async () => {
    const { runs, provider, catalog, store } = serviceWith([hello]);
    store.storeDown = true;
    await expect(runs.start('acme', 'hello', blocking, trigger)).rejects.toMatchObject({ code: ErrorCode.STORE_UNAVAILABLE });
    await expect(runs.start('acme', 'hello', { ...blocking, blocking: false }, trigger)).rejects.toMatchObject({
      code: ErrorCode.STORE_UNAVAILABLE,
    });
    expect(catalog.get).not.toHaveBeenCalled();
    expect(provider.calls).toHaveLength(0);
  });

  it("refuses blocking runs beyond the org's quota with QUOTA_EXCEEDED, and takes them again once room frees", async () => {
    const { runs, provider } = serviceWith([hello], { maxConcurrentRuns: 1 });
    let answer!: (a: CallAnswer) => void;
    provider.answerNext(() => new Promise<CallAnswer>((resolve) => (answer = resolve)));
    const first = runs.start('acme', 'hello', blocking, trigger);
    await new Promise((r) => setImmediate(r));
    const refused = await runs.start('acme', 'hello', blocking, trigger).catch((err: DispatchError) => err);
    expect(refused).toBeInstanceOf(DispatchError);
    expect(refused).toMatchObject({ code: ErrorCode.QUOTA_EXCEEDED, message: expect.stringContaining('maxConcurrentRuns 1') });
    answer(replied('first'));
    expect(await first).toMatchObject({ status: 'SUCCEEDED', output: 'first' });
    expect(await runs.start('acme', 'hello', blocking, trigger)).toMatchObject({ status: 'SUCCEEDED' });
    expect(provider.calls).toHaveLength(2);
  });

  it("reads a run this process answered before its record is written, and never another org's", async () => {
    const { runs, store } = serviceWith([hello]);
    const view = await runs.start('acme', 'hello', { ...blocking, blocking: false }, trigger);
    expect(await runs.get('acme', view.id)).toEqual(view);
    await expect(runs.get('other', view.id)).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
    const answered = { ...store.rows.get(view.id)!, status: RunStatus.SUCCEEDED };
    store.rows.delete(view.id);
    store.uncommitted.set(view.id, answered);
    expect(await runs.get('acme', view.id)).toMatchObject({ id: view.id, status: 'SUCCEEDED' });
    await expect(runs.get('other', view.id)).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND, message: `run "${view.id}" not found` });
  });
});
