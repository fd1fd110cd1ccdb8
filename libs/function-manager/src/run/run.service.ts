import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { EntityStatus, ErrorCode, type HttpContext, type Page, RunStatus } from '@dispatch/contracts';
import { DispatchError, LOGGER, mapPage, STORE_UNAVAILABLE_MESSAGE, toPage, type PageRequest } from '@dispatch/platform';
import { Run, type RunTrigger } from './run.entity';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { FunctionCatalog } from './function-catalog';
import { deadlineOf } from './run-budget';
import { RunFinisher } from './run-finisher';
import { RunQueue } from '../reconcile/run-queue';
import { RunRecorder } from './run-recorder';
import { type RunFilter, runPageKey, RunRepository } from './run.repository';
import { RunnerLease } from './runner-lease';
import { type RunView, runViewOf } from './run-view';

export interface RunRequest {
  input?: unknown;
  blocking: boolean;
  secrets: string[];
  /** The HTTP request of a run invoked through the gateway (blocking runs only). */
  httpContext?: HttpContext;
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
    private readonly runs: RunRepository,
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
      await this.runs.add(run);
      this.queue.wake({ org, functionName });
      return runViewOf(run);
    }
    const release = await this.limiter.acquire(fn);
    run.status = RunStatus.RUNNING;
    run.startedTime = now;
    this.recorder.recordIfLong(run);
    const outcome = await this.finisher.call(run, fn, release, request.httpContext ? { httpContext: request.httpContext } : {});
    // The answer is the run itself: it does not wait for the record's commit (about half the
    // latency a run adds, measured in bench/invoke). This process reads the record meanwhile.
    this.finisher
      .finish(run, outcome)
      .catch((err: unknown) => this.logger.error({ err, runId: run.id }, 'run record could not be written'));
    return runViewOf(run);
  }

  async get(org: string, id: string): Promise<RunView> {
    const pending = this.recorder.pending(id);
    const run = pending ? (pending.org === org ? pending : null) : await this.runs.byId(org, id);
    if (!run) throw new DispatchError(ErrorCode.NOT_FOUND, `run "${id}" not found`);
    return runViewOf(run);
  }

  /** Newest first, a page at a time. */
  async list(org: string, filter: RunFilter, page: PageRequest): Promise<Page<RunView>> {
    // Runs this process has answered but not yet committed belong in the list too.
    await this.recorder.committed(org);
    return mapPage(toPage(await this.runs.page(org, filter, page), page.limit, runPageKey), runViewOf);
  }
}

function storeUnavailableError(): DispatchError {
  return new DispatchError(ErrorCode.STORE_UNAVAILABLE, STORE_UNAVAILABLE_MESSAGE);
}
