import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { InjectDataSource } from '@dispatch/platform';

/** The processes that run functions (`functions.runner`), each known by its heartbeat; not org-owned. */
@Injectable()
export class RunnerRepository {
  constructor(@InjectDataSource('functions') private readonly dataSource: DataSource) {}

  /** Writes the runner's heartbeat as of now, adding its row the first time. */
  async beat(runner: { id: string; host: string; pid: number; startedTime: Date }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO "functions"."runner" ("id", "host", "pid", "started_time", "heartbeat_time") VALUES ($1, $2, $3, $4, now())
       ON CONFLICT ("id") DO UPDATE SET "heartbeat_time" = now()`,
      [runner.id, runner.host, runner.pid, runner.startedTime],
    );
  }

  /** Forgets runners whose heartbeat has been silent for `days`. */
  async forgetSilentFor(days: number): Promise<void> {
    await this.dataSource.query(`DELETE FROM "functions"."runner" WHERE "heartbeat_time" < now() - make_interval(days => $1)`, [days]);
  }
}
