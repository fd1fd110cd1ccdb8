import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER, PeriodicTask } from '@dispatch/platform';
import { FUNCTION_CONFIG, type FunctionConfig } from '../function-config';
import { IdempotencyKeyRepository } from '../invoke/idempotency-key.repository';
import { RunSweepRepository } from '../run/run-sweep.repository';
import { RunnerRepository } from '../run/runner.repository';
import { RunnerLease } from '../run/runner-lease';

/** What a run lost with its process says: it started, and why it will not finish. */
export const LOST_RUN_MESSAGE =
  'the run was lost: the process running it stopped (a crash, a kill or a restart) before the function answered; run it again';

/** What a run that outlived its deadline on a live process says: nothing is running it any more. */
export const OVERDUE_RUN_MESSAGE =
  'the run was lost: it had not ended a lease after its deadline (its timeout plus grace), so nothing was running it any more; run it again';

/** Runners silent this many days are forgotten; their runs were given up long before. */
const FORGET_RUNNERS_AFTER_DAYS = 1;

/**
 * Keeps the run table honest and bounded:
 * - a RUNNING run whose runner (the process that started it) has stopped heartbeating for a whole
 *   lease was lost with that process: it is marked FAILED with a SystemError saying so, so nothing
 *   stays RUNNING. So is one still RUNNING a lease past its deadline on a live runner (its end
 *   could not be recorded). Queued runs (INITIALIZED) are never given up: they wait for room;
 * - finished runs older than RUN_RETENTION_DAYS, and all but the newest RUN_RETENTION_PER_FUNCTION
 *   of each function, are deleted (usage is kept apart, in `usage`). Unfinished runs are kept;
 * - idempotency keys past IDEMPOTENCY_WINDOW_SECONDS are deleted.
 */
@Injectable()
export class RunJanitor implements OnModuleInit, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    private readonly runs: RunSweepRepository,
    private readonly runners: RunnerRepository,
    @Inject(FUNCTION_CONFIG) private readonly config: FunctionConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly lease: RunnerLease,
    private readonly idempotencyKeys: IdempotencyKeyRepository,
  ) {
    this.task = new PeriodicTask(
      () => this.sweep(),
      config.RUN_SWEEP_MS,
      (err) => logger.warn({ err }, 'run sweep failed; retrying on the next period'),
    );
  }

  onModuleInit(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  async sweep(): Promise<{ lost: number; pruned: number }> {
    const lost = this.lease.judgesOthers
      ? await this.runs.failLostAcrossOrgs(this.lease.id, this.config.RUN_LEASE_MS, LOST_RUN_MESSAGE, OVERDUE_RUN_MESSAGE)
      : 0;
    const old = await this.runs.pruneOlderThanAcrossOrgs(this.config.RUN_RETENTION_DAYS);
    const excess = await this.runs.pruneBeyondPerFunctionAcrossOrgs(this.config.RUN_RETENTION_PER_FUNCTION);
    await this.runners.forgetSilentFor(FORGET_RUNNERS_AFTER_DAYS);
    await this.idempotencyKeys.forgetExpiredAcrossOrgs(this.config.IDEMPOTENCY_WINDOW_SECONDS);
    if (lost) this.logger.warn({ lost }, 'runs lost by a stopped process marked FAILED');
    return { lost, pruned: old + excess };
  }
}
