import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { InjectDataSource } from '@dispatch/platform';

/** A key's row as a request finds it. */
export interface KeyState {
  requestHash: string;
  runId: string | null;
}

export interface KeyRef {
  org: string;
  functionName: string;
  key: string;
}

/** A claim whose first request has run longer than any function may (900 s) plus a minute died with its process. */
const STALE_CLAIM_SECONDS = 960;

/** Idempotency keys (`functions.idempotency_key`), one row per org, function and key. */
@Injectable()
export class IdempotencyKeyRepository {
  constructor(@InjectDataSource('functions') private readonly dataSource: DataSource) {}

  /**
   * Claims the key for a new run: true when this request is the first within the window (a row
   * past the window, or a claim abandoned by a dead process, is taken over); false when another
   * request holds it. One statement, so two concurrent requests never both claim it.
   */
  async claim(ref: KeyRef, requestHash: string, windowSeconds: number): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `INSERT INTO "functions"."idempotency_key" ("org", "function_name", "key", "request_hash", "run_id", "created_time")
       VALUES ($1, $2, $3, $4, NULL, now())
       ON CONFLICT ("org", "function_name", "key") DO UPDATE
         SET "request_hash" = EXCLUDED."request_hash", "run_id" = NULL, "created_time" = now()
         WHERE "idempotency_key"."created_time" < now() - make_interval(secs => $5)
            OR ("idempotency_key"."run_id" IS NULL AND "idempotency_key"."created_time" < now() - make_interval(secs => $6))
       RETURNING "key"`,
      [ref.org, ref.functionName, ref.key, requestHash, windowSeconds, STALE_CLAIM_SECONDS],
    )) as unknown[];
    return rows.length === 1;
  }

  async find(ref: KeyRef): Promise<KeyState | null> {
    const rows = (await this.dataSource.query(
      `SELECT "request_hash" AS "requestHash", "run_id" AS "runId" FROM "functions"."idempotency_key"
       WHERE "org" = $1 AND "function_name" = $2 AND "key" = $3`,
      [ref.org, ref.functionName, ref.key],
    )) as KeyState[];
    return rows[0] ?? null;
  }

  /** Names the run the claim started. */
  async settle(ref: KeyRef, runId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE "functions"."idempotency_key" SET "run_id" = $4 WHERE "org" = $1 AND "function_name" = $2 AND "key" = $3`,
      [ref.org, ref.functionName, ref.key, runId],
    );
  }

  /** Gives the claim up when no run was started (the request was refused), so a retry may run. */
  async release(ref: KeyRef): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM "functions"."idempotency_key" WHERE "org" = $1 AND "function_name" = $2 AND "key" = $3 AND "run_id" IS NULL`,
      [ref.org, ref.functionName, ref.key],
    );
  }

  /** Deletes the keys past their window (and claims a dead process abandoned): they answer nothing any more. */
  async forgetExpiredAcrossOrgs(windowSeconds: number): Promise<number> {
    const [, count] = (await this.dataSource.query(
      `DELETE FROM "functions"."idempotency_key"
        WHERE "created_time" < now() - make_interval(secs => $1)
           OR ("run_id" IS NULL AND "created_time" < now() - make_interval(secs => $2))`,
      [windowSeconds, STALE_CLAIM_SECONDS],
    )) as [unknown, number];
    return count;
  }
}
