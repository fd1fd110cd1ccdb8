import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { InjectDataSource } from '@dispatch/platform';

/**
 * The run janitor's statements: maintenance of the whole run table, so each spans every org.
 * Unfinished runs (INITIALIZED, RUNNING) are never pruned.
 */
@Injectable()
export class RunSweepRepository {
  constructor(@InjectDataSource('functions') private readonly dataSource: DataSource) {}

  /**
   * Across every org, FAILs with a SystemError: RUNNING runs of runners silent for `leaseMs`, or
   * gone (`lostMessage`); RUNNING runs `leaseMs` past their deadline whatever their runner
   * (`overdueMessage` when the runner is live); and, from before runs named their runner, RUNNING
   * runs past their deadline. The runs of `selfId` are left to it unless overdue. Resolves how many.
   */
  async failLostAcrossOrgs(selfId: string, leaseMs: number, lostMessage: string, overdueMessage: string): Promise<number> {
    const [, lost] = (await this.dataSource.query(
      `WITH live AS (SELECT "id" FROM "functions"."runner" WHERE "heartbeat_time" > now() - $2::int * interval '1 millisecond')
       UPDATE "functions"."run" r SET "status" = 'FAILED', "finished_time" = now(),
         "error" = jsonb_build_object('type', 'SystemError', 'message', CASE WHEN r."runner_id" IN (SELECT "id" FROM live) THEN $4::text ELSE $3::text END)
       WHERE r."status" = 'RUNNING' AND (
         (r."runner_id" IS NOT NULL AND r."runner_id" <> $1 AND r."runner_id" NOT IN (SELECT "id" FROM live))
         OR (r."runner_id" IS NOT NULL AND r."deadline" < now() - $2::int * interval '1 millisecond')
         OR (r."runner_id" IS NULL AND r."deadline" < now()))`,
      [selfId, leaseMs, lostMessage, overdueMessage],
    )) as [unknown, number];
    return lost;
  }

  /** Across every org, deletes finished runs created more than `days` ago; resolves how many. */
  async pruneOlderThanAcrossOrgs(days: number): Promise<number> {
    const [, old] = (await this.dataSource.query(
      `DELETE FROM "functions"."run" WHERE "created_time" < now() - make_interval(days => $1) AND "status" NOT IN ('INITIALIZED', 'RUNNING')`,
      [days],
    )) as [unknown, number];
    return old;
  }

  /** Across every org, deletes all but the newest `keep` finished runs of each function; resolves how many. */
  async pruneBeyondPerFunctionAcrossOrgs(keep: number): Promise<number> {
    const [, excess] = (await this.dataSource.query(
      `DELETE FROM "functions"."run" WHERE "id" IN (
         SELECT "id" FROM (
           SELECT "id", row_number() OVER (PARTITION BY "org", "function_name" ORDER BY "created_time" DESC) AS n
           FROM "functions"."run" WHERE "status" NOT IN ('INITIALIZED', 'RUNNING')
         ) ranked WHERE n > $1)`,
      [keep],
    )) as [unknown, number];
    return excess;
  }
}
