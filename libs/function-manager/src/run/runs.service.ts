import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { EntityStatus, ErrorCode, type Page, RunStatus } from '@dispatch/contracts';
import { DispatchError, InjectDataSource, LOGGER, mapPage, STORE_UNAVAILABLE_MESSAGE, toPage, type PageRequest } from '@dispatch/platform';
import { Run, type RunTrigger } from '../persistence/entities/run.entity';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { FunctionCatalog } from './function-catalog';
import { deadlineOf } from './run-budget';
import { RunFinisher } from './run-finisher';
import { RunQueue } from './run-queue';
import { RunRecorder } from './run-recorder';
import { RunnerLease } from './runner-lease';
import { type RunView, runViewOf } from './run-view';

export interface RunRequest {
  input?: unknown;
  blocking: boolean;
  secrets: string[];
}

/**
 * Starts runs and reads them. Blocking runs execute in the request and are recorded once, when
 * they end (or RUNNING first when they take long), committed by RunRecorder within about 10 ms of
 * the answer; async runs are committed INITIALIZED before the answer, and RunQueue (woken here, and
 * on other replicas by its scan) starts them as room frees.
 */
@Injectable()
export class RunsService {
  constructor(
    @InjectDataSource('functions') private readonly dataSource: DataSource,
    private readonly catalog: FunctionCatalog,
    private readonly finisher: RunFinisher,
    private readonly recorder: RunRecorder,
    private readonly limiter: ConcurrencyLimiter,
    private readonly queue: RunQueue,
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
      await this.dataSource.getRepository(Run).insert(run as QueryDeepPartialEntity<Run>);
      this.queue.wake({ org, functionName });
      return runViewOf(run);
    }
    const release = await this.limiter.acquire(fn);
    run.status = RunStatus.RUNNING;
    run.startedTime = now;
    this.recorder.recordIfLong(run);
    const outcome = await this.finisher.call(run, fn, release);
    // The answer is the run itself: it does not wait for the record's commit (about half the
    // latency a run adds, measured in bench/invoke). This process reads the record meanwhile.
    this.finisher.finish(run, outcome).catch((err: unknown) => this.logger.error({ err, runId: run.id }, 'run record could not be written'));
    return runViewOf(run);
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
}

const UUID = /^[0-9a-f-]{36}$/i;

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
