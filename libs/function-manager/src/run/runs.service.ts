import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { EntityStatus, ErrorCode, type Page, RunStatus } from '@dispatch/contracts';
import { type OutboxRelay, OutboxWriter } from '@dispatch/persistence';
import { DispatchError, InjectDataSource, InjectOutboxRelay, LOGGER, mapPage, STORE_UNAVAILABLE_MESSAGE, toPage, type PageRequest } from '@dispatch/platform';
import type { RunOutcome } from '../domain/run-outcome';
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
   * Runs a queued run this process has taken (RunQueue) and records how it ended; `release` gives
   * back its room once the function has answered.
   */
  async runTaken(run: Run, fn: ActiveFunction, release: () => void): Promise<void> {
    let outcome: RunOutcome;
    try {
      outcome = await this.executor.execute(fn, { runId: run.id, input: run.input, secrets: run.secrets });
    } finally {
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

/** How long a run may take from its start: the function's timeout, the provider's grace, and ours. */
export function runBudgetMs(fn: ActiveFunction): number {
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
