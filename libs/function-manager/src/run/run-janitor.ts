import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { InjectDataSource, LOGGER, PeriodicTask } from '@dispatch/platform';
import { FUNCTION_CONFIG, type FunctionConfig } from '../function-config';
import { RunnerLease } from './runner-lease';

/** What a run lost with its process says: it started, and why it will not finish. */
export const LOST_RUN_MESSAGE =
  'the run was lost: the process running it stopped (a crash, a kill or a restart) before the function answered; run it again';

/** What a run that outlived its deadline on a live process says: nothing is running it any more. */
export const OVERDUE_RUN_MESSAGE =
  'the run was lost: it had not ended a lease after its deadline (its timeout plus grace), so nothing was running it any more; run it again';

/** Runners silent this long are forgotten; their runs were given up long before. */
const FORGET_RUNNERS_AFTER = '1 day';

/**
 * Keeps the run table honest and bounded:
 * - a RUNNING run whose runner (the process that started it) has stopped heartbeating for a whole
 *   lease was lost with that process: it is marked FAILED with a SystemError saying so, so nothing
 *   stays RUNNING. So is one still RUNNING a lease past its deadline on a live runner (its end
 *   could not be recorded). Queued runs (INITIALIZED) are never given up: they wait for room;
 * - finished runs older than RUN_RETENTION_DAYS, and all but the newest RUN_RETENTION_PER_FUNCTION
 *   of each function, are deleted (usage is kept apart, in `usage`). Unfinished runs are kept.
 */
@Injectable()
export class RunJanitor implements OnModuleInit, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    @InjectDataSource('functions') private readonly dataSource: DataSource,
    @Inject(FUNCTION_CONFIG) private readonly config: FunctionConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly lease: RunnerLease,
  ) {
    this.task = new PeriodicTask(() => this.sweep(), config.RUN_SWEEP_MS, (err) => logger.warn({ err }, 'run sweep failed; retrying on the next period'));
  }

  onModuleInit(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  async sweep(): Promise<{ lost: number; pruned: number }> {
    const lost = this.lease.judgesOthers ? await this.failRunsOfGoneRunners() : 0;
    const [, old] = (await this.dataSource.query(
      `DELETE FROM "functions"."run" WHERE "created_time" < now() - make_interval(days => $1) AND "status" NOT IN ('INITIALIZED', 'RUNNING')`,
      [this.config.RUN_RETENTION_DAYS],
    )) as [unknown, number];
    const [, excess] = (await this.dataSource.query(
      `DELETE FROM "functions"."run" WHERE "id" IN (
         SELECT "id" FROM (
           SELECT "id", row_number() OVER (PARTITION BY "org", "function_name" ORDER BY "created_time" DESC) AS n
           FROM "functions"."run" WHERE "status" NOT IN ('INITIALIZED', 'RUNNING')
         ) ranked WHERE n > $1)`,
      [this.config.RUN_RETENTION_PER_FUNCTION],
    )) as [unknown, number];
    await this.dataSource.query(`DELETE FROM "functions"."runner" WHERE "heartbeat_time" < now() - interval '${FORGET_RUNNERS_AFTER}'`);
    if (lost) this.logger.warn({ lost }, 'runs lost by a stopped process marked FAILED');
    return { lost, pruned: old + excess };
  }

  /**
   * RUNNING runs of runners silent for a lease, or gone; RUNNING runs a lease past their deadline
   * whatever their runner; and, from before runs named their runner, RUNNING runs past their deadline.
   */
  private async failRunsOfGoneRunners(): Promise<number> {
    const [, lost] = (await this.dataSource.query(
      `WITH live AS (SELECT "id" FROM "functions"."runner" WHERE "heartbeat_time" > now() - $2::int * interval '1 millisecond')
       UPDATE "functions"."run" r SET "status" = 'FAILED', "finished_time" = now(),
         "error" = jsonb_build_object('type', 'SystemError', 'message', CASE WHEN r."runner_id" IN (SELECT "id" FROM live) THEN $4::text ELSE $3::text END)
       WHERE r."status" = 'RUNNING' AND (
         (r."runner_id" IS NOT NULL AND r."runner_id" <> $1 AND r."runner_id" NOT IN (SELECT "id" FROM live))
         OR (r."runner_id" IS NOT NULL AND r."deadline" < now() - $2::int * interval '1 millisecond')
         OR (r."runner_id" IS NULL AND r."deadline" < now()))`,
      [this.lease.id, this.config.RUN_LEASE_MS, LOST_RUN_MESSAGE, OVERDUE_RUN_MESSAGE],
    )) as [unknown, number];
    return lost;
  }
}
