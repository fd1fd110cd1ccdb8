import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { EntityStatus, ErrorCode, type Page, RunErrorType, RunStatus } from '@dispatch/contracts';
import { type OutboxRelay, OutboxWriter } from '@dispatch/persistence';
import { DispatchError, InjectDataSource, InjectOutboxRelay, LOGGER, mapPage, STORE_UNAVAILABLE_MESSAGE, toPage, type PageRequest } from '@dispatch/platform';
import { failed, type RunOutcome } from '../domain/run-outcome';
import { Run, type RunTrigger } from '../persistence/entities/run.entity';
import { UsageMeter } from '../usage/usage-meter';
import type { ActiveFunction } from './active-function';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { FunctionCatalog } from './function-catalog';
import { PROVIDER_GRACE_MS, RunExecutor } from './run-executor';
import { RunMetrics } from './run-metrics';
import { RunRecorder } from './run-recorder';
import { RunnerLease } from './runner-lease';
import { type RunView, runViewOf } from './run-view';

/** The bus delivery of a queued run's request, as executeQueued needs it. */
export interface QueuedRunDelivery {
  /** Restarts the delivery's ack wait; called every `keepAliveMs` while the run waits for room. */
  keepAlive(): Promise<void>;
  keepAliveMs: number;
  /** The run is taken: the request is done with. */
  taken(): Promise<void>;
}

export interface RunRequest {
  input?: unknown;
  blocking: boolean;
  secrets: string[];
}

/** Grace past a run's timeout before its deadline; the deadline tells how long a run may take, not when it is lost. */
export const LOST_RUN_GRACE_MS = 5000;

/**
 * Starts runs and reads them. Blocking runs execute in the request and are recorded once, when
 * they end (or RUNNING first when they take long), committed by RunRecorder within about 10 ms of
 * the answer; async runs are recorded INITIALIZED with a `function.run.requested.v1` event in one
 * transaction and executed by its consumer.
 */
@Injectable()
export class RunsService {
  private readonly outbox = new OutboxWriter();
  /** Queued runs a delivery of this process is handling, from its arrival to its record. */
  private readonly executing = new Set<string>();

  constructor(
    @InjectDataSource('functions') private readonly dataSource: DataSource,
    @InjectOutboxRelay('functions') private readonly relay: OutboxRelay,
    private readonly catalog: FunctionCatalog,
    private readonly executor: RunExecutor,
    private readonly recorder: RunRecorder,
    private readonly limiter: ConcurrencyLimiter,
    private readonly usage: UsageMeter,
    private readonly metrics: RunMetrics,
    private readonly lease: RunnerLease,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async start(org: string, functionName: string, request: RunRequest, trigger: RunTrigger): Promise<RunView> {
    // A run answered now could not be recorded: refuse it rather than answer for a record that may never be.
    if (this.recorder.storeDown) throw storeUnavailableError();
    const fn = await this.catalog.get(org, functionName);
    if (fn.version === null || fn.providerName === null || fn.status === EntityStatus.DELETING) {
      throw new DispatchError(
        ErrorCode.FUNCTION_NOT_READY,
        `function "${functionName}" is ${fn.status} and has no version that can serve yet; wait until it is READY (GET /v1/function/${functionName})`,
      );
    }
    const now = new Date();
    const run: Run = Object.assign(new Run(), {
      id: randomUUID(),
      org,
      functionName,
      functionId: fn.id,
      version: fn.version,
      status: RunStatus.INITIALIZED as RunStatus,
      blocking: request.blocking,
      input: request.input ?? null,
      output: null,
      error: null,
      logs: null,
      secrets: request.secrets,
      trigger,
      memoryMb: fn.spec.memoryMb,
      createdTime: now,
      startedTime: null as Date | null,
      finishedTime: null as Date | null,
      deadline: deadlineOf(fn, now),
      runnerId: request.blocking ? this.lease.id : null,
    });
    if (!request.blocking) {
      await this.dataSource.transaction(async (m) => {
        await m.insert(Run, run as QueryDeepPartialEntity<Run>);
        await this.outbox.add(m, 'function.run.requested.v1', { runId: run.id, org, functionName });
      });
      this.relay.notify();
      return runViewOf(run);
    }
    const release = await this.limiter.acquire(fn);
    try {
      run.status = RunStatus.RUNNING;
      run.startedTime = now;
      this.recorder.recordIfLong(run);
      const outcome = await this.executor.execute(fn, { runId: run.id, input: run.input, secrets: request.secrets });
      // The answer is the run itself: it does not wait for the record's commit (about half the
      // latency a run adds, measured in bench/invoke). This process reads the record meanwhile.
      this.finish(run, outcome).catch((err: unknown) => this.logger.error({ err, runId: run.id }, 'run record could not be written'));
    } finally {
      release();
    }
    return runViewOf(run);
  }

  /**
   * Executes a queued run once, however often its request is delivered. It waits for room (the
   * function's capacity on the provider, the org's quota) while `queue.keepAlive()` tells the bus
   * the request is still in hand; it then takes the run (INITIALIZED → RUNNING, naming this
   * process's runner and starting its deadline) in one statement that only one delivery wins, and
   * `queue.taken()` lets go of the request: from there the run's record is its state. Failures of
   * the store throw, so the request comes back later; a run is FAILED here only for what will
   * not change by waiting (its function is gone).
   */
  async executeQueued(runId: string, queue: QueuedRunDelivery): Promise<void> {
    // Another delivery of the same request is handling it in this process.
    if (this.executing.has(runId)) return;
    this.executing.add(runId);
    try {
      await this.executeOnce(runId, queue);
    } finally {
      this.executing.delete(runId);
    }
  }

  private async executeOnce(runId: string, queue: QueuedRunDelivery): Promise<void> {
    const run = await this.dataSource.getRepository(Run).findOneBy({ id: runId });
    if (!run || !this.mayTake(run)) return;
    let fn: ActiveFunction;
    try {
      fn = await this.catalog.get(run.org, run.functionName);
    } catch (err) {
      if (!(err instanceof DispatchError)) throw err;
      return this.failQueued(run, `the function could not be found when the run was to start: ${err.message}`, queue);
    }
    if (fn.version === null || fn.providerName === null) {
      return this.failQueued(run, `function "${run.functionName}" had no version that could serve when the run was to start`, queue);
    }
    const keepAlive = setInterval(() => void queue.keepAlive().catch(() => undefined), queue.keepAliveMs);
    let release: () => void;
    try {
      release = await this.limiter.acquireWhenFree(fn);
    } finally {
      clearInterval(keepAlive);
    }
    let outcome: RunOutcome;
    try {
      if (!(await this.take(run, fn))) return;
      await letGo(queue);
      outcome = await this.executor.execute(fn, { runId: run.id, input: run.input, secrets: run.secrets });
    } finally {
      // The org's slot is free once the function has answered, not once its record is written.
      release();
    }
    await this.finish(run, outcome);
  }

  async get(org: string, id: string): Promise<RunView> {
    const pending = this.recorder.pending(id);
    const run = pending ? (pending.org === org ? pending : null) : UUID.test(id) ? await this.dataSource.getRepository(Run).findOneBy({ org, id }) : null;
    if (!run) throw new DispatchError(ErrorCode.NOT_FOUND, `run "${id}" not found`);
    return runViewOf(run);
  }

  /** Newest first; the page token is the (created time, id) of the last run served. */
  async list(org: string, filter: { functionName?: string; status?: RunStatus; since?: Date }, page: PageRequest): Promise<Page<RunView>> {
    // Runs this process has answered but not yet committed belong in the list too.
    await this.recorder.committed(org);
    const q = this.dataSource.getRepository(Run).createQueryBuilder('r').where('r.org = :org', { org });
    if (filter.functionName) q.andWhere('r.functionName = :fn', { fn: filter.functionName });
    if (filter.status) q.andWhere('r.status = :status', { status: filter.status });
    if (filter.since) q.andWhere('r.createdTime >= :since', { since: filter.since });
    if (page.after !== undefined) {
      const [time, id] = cursorOf(page.after);
      q.andWhere('(r.createdTime, r.id) < (:time, :id)', { time, id });
    }
    const rows = await q.orderBy('r.createdTime', 'DESC').addOrderBy('r.id', 'DESC').take(page.limit + 1).getMany();
    return mapPage(toPage(rows, page.limit, (r) => `${r.createdTime.toISOString()}|${r.id}`), runViewOf);
  }

  /**
   * Whether this delivery may take the run: it is queued, or this process took it and never ran
   * it (the request's ack, or the answer to the take, was lost with the database) — no other
   * delivery in this process has it, so it is not running here.
   */
  private mayTake(run: Run): boolean {
    return run.status === RunStatus.INITIALIZED || (run.status === RunStatus.RUNNING && run.runnerId === this.lease.id);
  }

  /** Queued → RUNNING on this runner, with its deadline from now, in one statement; false when another process took it first. */
  private async take(run: Run, fn: ActiveFunction): Promise<boolean> {
    const taken = (await this.dataSource.query(
      `UPDATE "functions"."run" SET "status" = 'RUNNING', "started_time" = now(), "runner_id" = $2, "version" = $3,
         "deadline" = now() + $4::int * interval '1 millisecond'
       WHERE "id" = $1 AND ("status" = 'INITIALIZED' OR ("status" = 'RUNNING' AND "runner_id" = $2)) RETURNING "started_time", "deadline"`,
      [run.id, this.lease.id, fn.version, runBudgetMs(fn)],
    )) as [Array<{ started_time: Date; deadline: Date }>, number];
    const row = taken[0][0];
    if (!row) return false;
    Object.assign(run, { status: RunStatus.RUNNING, startedTime: row.started_time, deadline: row.deadline, runnerId: this.lease.id, version: fn.version });
    return true;
  }

  /** A queued run that can never start: taken like any other (so only one delivery fails it), then FAILED with why. */
  private async failQueued(run: Run, message: string, queue: QueuedRunDelivery): Promise<void> {
    const taken = (await this.dataSource.query(
      `UPDATE "functions"."run" SET "status" = 'RUNNING', "runner_id" = $2 WHERE "id" = $1 AND ("status" = 'INITIALIZED' OR ("status" = 'RUNNING' AND "runner_id" = $2)) RETURNING "id"`,
      [run.id, this.lease.id],
    )) as [unknown[], number];
    if (!taken[1]) return;
    await letGo(queue);
    run.runnerId = this.lease.id;
    await this.finish(run, failed(RunErrorType.SystemError, message));
  }

  private async finish(run: Run, outcome: RunOutcome): Promise<void> {
    const finished = new Date();
    Object.assign(run, { status: outcome.status, output: outcome.output, error: outcome.error, logs: outcome.logs, finishedTime: finished });
    run.startedTime ??= finished;
    const ms = finished.getTime() - run.startedTime.getTime();
    this.usage.count(run.org, ms, run.memoryMb, finished);
    this.metrics.record(run.status, run.blocking, ms / 1000);
    await this.recorder.save(run);
  }
}

const UUID = /^[0-9a-f-]{36}$/i;

/**
 * Lets go of a taken run's request. An ack that fails (the store is away) is no reason not to run
 * it: the request comes back, finds the run taken by this process, and does nothing more.
 */
async function letGo(queue: QueuedRunDelivery): Promise<void> {
  await queue.taken().catch(() => undefined);
}

/** How long a run may take from its start: the function's timeout, the provider's grace, and ours. */
function runBudgetMs(fn: ActiveFunction): number {
  return fn.spec.timeoutSeconds * 1000 + PROVIDER_GRACE_MS + LOST_RUN_GRACE_MS;
}

function deadlineOf(fn: ActiveFunction, from: Date): Date {
  return new Date(from.getTime() + runBudgetMs(fn));
}

function storeUnavailableError(): DispatchError {
  return new DispatchError(ErrorCode.STORE_UNAVAILABLE, STORE_UNAVAILABLE_MESSAGE);
}

function cursorOf(after: string): [Date, string] {
  const [time, id] = after.split('|');
  const date = new Date(time);
  if (!id || Number.isNaN(date.getTime()) || !UUID.test(id)) {
    throw new DispatchError(ErrorCode.INVALID_PAGE_TOKEN, 'pageToken is not one this API returned; start again without it');
  }
  return [date, id];
}
