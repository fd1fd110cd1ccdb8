import { Injectable } from '@nestjs/common';
import { type DataSource, In } from 'typeorm';
import { InjectDataSource } from '@dispatch/platform';
import { Run } from './run.entity';

/** A function that has queued runs. */
export interface QueuedFunction {
  org: string;
  functionName: string;
}

/**
 * The run table as the queue of async runs: a run accepted with 202 is a row INITIALIZED until a
 * process takes it. Taking is one statement that skips rows another process is taking, so each
 * run is taken once whichever process, however often it is woken.
 */
@Injectable()
export class QueuedRunsRepository {
  constructor(@InjectDataSource('functions') private readonly dataSource: DataSource) {}

  /** Across every org: the scan that finds runs no process was woken for. */
  async functionsWithQueuedRunsAcrossOrgs(): Promise<QueuedFunction[]> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT "org", "function_name" FROM "functions"."run" WHERE "status" = 'INITIALIZED'`,
    )) as Array<{ org: string; function_name: string }>;
    return rows.map((r) => ({ org: r.org, functionName: r.function_name }));
  }

  /**
   * Takes up to `limit` of the function's oldest queued runs for `runnerId`: RUNNING from now, at
   * `version`, with their deadline `budgetMs` from now.
   */
  async take(fn: QueuedFunction, limit: number, taker: { runnerId: string; version: number; budgetMs: number }): Promise<Run[]> {
    const [rows] = (await this.dataSource.query(
      `UPDATE "functions"."run" SET "status" = 'RUNNING', "started_time" = now(), "runner_id" = $3, "version" = $4,
         "deadline" = now() + $5::int * interval '1 millisecond'
       WHERE "id" IN (
         SELECT "id" FROM "functions"."run" WHERE "org" = $1 AND "function_name" = $2 AND "status" = 'INITIALIZED'
         ORDER BY "created_time" LIMIT $6 FOR UPDATE SKIP LOCKED)
       RETURNING "id"`,
      [fn.org, fn.functionName, taker.runnerId, taker.version, taker.budgetMs, limit],
    )) as [Array<{ id: string }>, number];
    if (!rows.length) return [];
    const runs = await this.dataSource.getRepository(Run).findBy({ id: In(rows.map((r) => r.id)) });
    return runs.sort((a, b) => a.createdTime.getTime() - b.createdTime.getTime());
  }

  /**
   * Puts back in the queue the async runs `runnerId` holds as RUNNING but is not running (`except`
   * are those it is): a take whose answer was lost (the database went away after its commit)
   * left them taken by nobody. Never started, they are queued again rather than failed.
   */
  async requeueTakenButNotRunning(runnerId: string, except: string[]): Promise<number> {
    const [, requeued] = (await this.dataSource.query(
      `UPDATE "functions"."run" SET "status" = 'INITIALIZED', "started_time" = NULL, "runner_id" = NULL
       WHERE "runner_id" = $1 AND "status" = 'RUNNING' AND NOT "blocking" AND NOT ("id" = ANY($2::uuid[]))`,
      [runnerId, except],
    )) as [unknown, number];
    return requeued;
  }

  /** Ends every queued run of a function that cannot run (it is gone) as FAILED with `message`; never started, so no start time. */
  async failAll(fn: QueuedFunction, runnerId: string, message: string): Promise<number> {
    const [, failed] = (await this.dataSource.query(
      `UPDATE "functions"."run" SET "status" = 'FAILED', "finished_time" = now(), "runner_id" = $3,
         "error" = jsonb_build_object('type', 'SystemError', 'message', $4::text)
       WHERE "org" = $1 AND "function_name" = $2 AND "status" = 'INITIALIZED'`,
      [fn.org, fn.functionName, runnerId, message],
    )) as [unknown, number];
    return failed;
  }
}
