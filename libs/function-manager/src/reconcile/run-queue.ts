import { Inject, Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { isStoreUnavailable } from '@dispatch/persistence';
import { DispatchError, LOGGER, PeriodicTask } from '@dispatch/platform';
import { Deployer } from './deployer';
import { FUNCTION_CONFIG, type FunctionConfig } from '../function-config';
import type { ActiveFunction } from '../run/active-function';
import { ConcurrencyLimiter } from '../run/concurrency-limiter';
import { FunctionCatalog } from '../run/function-catalog';
import { type QueuedFunction, QueuedRunsRepository } from '../run/queued-runs.repository';
import { RunnerLease } from '../run/runner-lease';
import { runBudgetMs } from '../run/run-budget';
import { RunFinisher } from '../run/run-finisher';

/**
 * Starts queued async runs as room frees up, function by function: a run waits in the run table
 * (INITIALIZED) until its function has room on the provider (maxReplicas × maxConcurrency calls)
 * and its org is under its quota, then it is taken, run and recorded. Nothing waits in memory, so
 * a backlog of one function never holds up another's runs, a restart loses no queued run, and
 * no queued run is ever failed for waiting.
 *
 * Woken per function by the API of this process accepting a run, by a `function.run.requested.v1`
 * event (another service queued one), by a run of this process ending, and every
 * RUN_QUEUE_SCAN_MS by a look at the table (runs accepted by another replica, or queued before a
 * restart).
 */
@Injectable()
export class RunQueue implements OnModuleInit, BeforeApplicationShutdown {
  /** Functions being pumped now; true when woken again meanwhile, so the pump goes round once more. */
  private readonly pumping = new Map<string, boolean>();
  private readonly running = new Set<Promise<void>>();
  /** Ids of the runs this process took and is running. */
  private readonly inFlight = new Set<string>();
  /** Takes under way, and a put-back of lost takes under way (they never overlap: see requeueLostTakes). */
  private takes = 0;
  private requeueing: Promise<void> | undefined;
  /** A take failed for want of the database: it may have committed, its runs taken by nobody. */
  private lostTakeSuspected = false;
  /** Functions that found no room, per org: a run of the org ending may make room for them. */
  private readonly starved = new Map<string, Map<string, QueuedFunction>>();
  /** Looks at the run table for queued runs nobody woke this process for. */
  private readonly scan: PeriodicTask;
  private stopping = false;
  /** Runs are started only once the provider has the serving versions again (a solo start begins with an empty faas-local). */
  private started = false;

  constructor(
    private readonly queued: QueuedRunsRepository,
    private readonly catalog: FunctionCatalog,
    private readonly limiter: ConcurrencyLimiter,
    private readonly finisher: RunFinisher,
    private readonly lease: RunnerLease,
    private readonly deployer: Deployer,
    @Inject(FUNCTION_CONFIG) private readonly config: FunctionConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.scan = new PeriodicTask(
      async () => {
        await this.requeueLostTakes();
        (await this.queued.functionsWithQueuedRunsAcrossOrgs()).forEach((fn) => this.wake(fn));
      },
      config.RUN_QUEUE_SCAN_MS,
      (err) => logger.warn({ err }, 'queued runs could not be looked up; trying again shortly'),
    );
  }

  onModuleInit(): void {
    void this.deployer.restored.then(() => {
      if (this.stopping) return;
      this.started = true;
      this.scan.start();
    });
  }

  /** Takes no more runs, and waits for those this process is running to end and be recorded. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.scan.stop();
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /** A run of the function may be waiting: start what there is room for. */
  wake(fn: QueuedFunction): void {
    // Before the start, the first scan finds what is queued.
    if (this.stopping || !this.started) return;
    const key = JSON.stringify([fn.org, fn.functionName]);
    if (this.pumping.has(key)) {
      this.pumping.set(key, true);
      return;
    }
    this.pumping.set(key, false);
    void this.pump(fn, key);
  }

  private async pump(queued: QueuedFunction, key: string): Promise<void> {
    try {
      do {
        this.pumping.set(key, false);
        while (!this.stopping && (await this.startWhatFits(queued))) {
          // Took all the room there was: there may be more waiting, and more room.
        }
      } while (this.pumping.get(key) && !this.stopping);
    } catch (err) {
      // The store or the catalog is away: the runs stay queued, and the next scan tries again.
      this.logger.warn(
        { err, org: queued.org, functionName: queued.functionName },
        'queued runs could not be started; trying again shortly',
      );
    } finally {
      this.pumping.delete(key);
    }
  }

  /** Starts as many queued runs as there is room for; true when it filled the room (there may be more). */
  private async startWhatFits(queued: QueuedFunction): Promise<boolean> {
    let fn: ActiveFunction;
    try {
      fn = await this.catalog.get(queued.org, queued.functionName);
    } catch (err) {
      if (!(err instanceof DispatchError)) throw err;
      await this.failAll(queued, `the function could not be found when the run was to start: ${err.message}`);
      return false;
    }
    if (fn.version === null || fn.providerName === null) {
      await this.failAll(queued, `function "${queued.functionName}" had no version that could serve when the run was to start`);
      return false;
    }
    const slots = await this.limiter.reserve(fn);
    const room = slots.length;
    if (!room) {
      const waiting = this.starved.get(queued.org) ?? new Map<string, QueuedFunction>();
      this.starved.set(queued.org, waiting.set(queued.functionName, queued));
      return false;
    }
    let taken;
    try {
      await this.beginTake();
      try {
        taken = await this.queued.take(queued, room, { runnerId: this.lease.id, version: fn.version, budgetMs: runBudgetMs(fn) });
      } finally {
        this.takes--;
      }
    } catch (err) {
      if (isStoreUnavailable(err)) this.lostTakeSuspected = true;
      for (const release of slots) release();
      throw err;
    }
    for (const release of slots.splice(taken.length)) release();
    taken.forEach((run, i) => {
      this.inFlight.add(run.id);
      const done: Promise<void> = this.finisher
        .call(run, fn, slots[i])
        .then((outcome) => this.finisher.finish(run, outcome))
        .catch((err: unknown) => this.logger.error({ err, runId: run.id }, 'a queued run could not be completed'))
        .finally(() => {
          this.inFlight.delete(run.id);
          this.running.delete(done);
          this.wakeAfterRunOf(queued);
        });
      this.running.add(done);
    });
    return taken.length === room;
  }

  /**
   * Counts a take as under way once no put-back of lost takes is due or under way: checked and
   * counted in one synchronous step, so a put-back never starts between the two.
   */
  private async beginTake(): Promise<void> {
    for (;;) {
      if (this.requeueing) await this.requeueing;
      else if (this.lostTakeSuspected) await this.requeueLostTakes();
      else {
        this.takes++;
        return;
      }
    }
  }

  /**
   * After a take that failed for want of the database, puts back in the queue the runs this
   * process holds as RUNNING but is not running: the take may have committed with its answer lost.
   * It waits for the takes under way (their runs are not yet known to be running here), and new
   * takes wait for it, so it never puts back a run a take is about to start.
   */
  private async requeueLostTakes(): Promise<void> {
    if (this.requeueing) return this.requeueing;
    if (!this.lostTakeSuspected) return;
    this.requeueing = (async () => {
      while (this.takes > 0) await new Promise((r) => setTimeout(r, 5));
      const requeued = await this.queued.requeueTakenButNotRunning(this.lease.id, [...this.inFlight]);
      this.lostTakeSuspected = false;
      if (requeued) this.logger.warn({ requeued }, 'runs taken by a take whose answer was lost are queued again');
    })().finally(() => (this.requeueing = undefined));
    return this.requeueing;
  }

  /** A run of `queued` ended: its function, and any other of its org that found no room, may start more. */
  private wakeAfterRunOf(queued: QueuedFunction): void {
    const waiting = this.starved.get(queued.org);
    this.starved.delete(queued.org);
    this.wake(queued);
    for (const fn of waiting?.values() ?? []) this.wake(fn);
  }

  private async failAll(queued: QueuedFunction, message: string): Promise<void> {
    const failed = await this.queued.failAll(queued, this.lease.id, message);
    if (failed) this.logger.warn({ ...queued, failed, reason: message }, 'queued runs failed: their function cannot run them');
  }
}
