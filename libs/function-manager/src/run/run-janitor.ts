import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { InjectDataSource, LOGGER } from '@dispatch/platform';
import { FUNCTION_CONFIG, type FunctionConfig } from '../function-config';

/**
 * Keeps the run table honest and bounded:
 * - a run still INITIALIZED or RUNNING past its deadline was lost with the process that ran it
 *   (a restart, a crash): it is marked FAILED with a SystemError, so nothing stays RUNNING;
 * - runs older than RUN_RETENTION_DAYS, and all but the newest RUN_RETENTION_PER_FUNCTION of
 *   each function, are deleted (usage is kept apart, in `usage`).
 */
@Injectable()
export class RunJanitor implements OnModuleInit, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    @InjectDataSource('functions') private readonly dataSource: DataSource,
    @Inject(FUNCTION_CONFIG) private readonly config: FunctionConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => this.tick(), this.config.RUN_SWEEP_MS);
    this.timer.unref();
    this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  private tick(): void {
    if (this.sweeping) return;
    this.sweeping = this.sweep()
      .then(() => undefined)
      .catch((err: unknown) => this.logger.warn({ err }, 'run sweep failed; retrying on the next period'))
      .finally(() => (this.sweeping = undefined));
  }

  async sweep(): Promise<{ lost: number; pruned: number }> {
    const [, lost] = (await this.dataSource.query(
      `UPDATE "functions"."run" SET "status" = 'FAILED', "finished_time" = now(),
         "error" = jsonb_build_object('type', 'SystemError', 'message', 'the run was lost: the platform stopped or restarted while it was in progress; run it again')
       WHERE "status" IN ('INITIALIZED', 'RUNNING') AND "deadline" < now()`,
    )) as [unknown, number];
    const [, old] = (await this.dataSource.query(`DELETE FROM "functions"."run" WHERE "created_time" < now() - make_interval(days => $1)`, [this.config.RUN_RETENTION_DAYS])) as [unknown, number];
    const [, excess] = (await this.dataSource.query(
      `DELETE FROM "functions"."run" WHERE "id" IN (
         SELECT "id" FROM (
           SELECT "id", row_number() OVER (PARTITION BY "org", "function_name" ORDER BY "created_time" DESC) AS n FROM "functions"."run"
         ) ranked WHERE n > $1)`,
      [this.config.RUN_RETENTION_PER_FUNCTION],
    )) as [unknown, number];
    if (lost) this.logger.warn({ lost }, 'runs lost by a stopped process marked FAILED');
    return { lost, pruned: old + excess };
  }
}
