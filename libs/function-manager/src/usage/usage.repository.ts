import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { InjectDataSource } from '@dispatch/platform';

/** Runs and GB-seconds counted for one org on one UTC day (YYYY-MM-DD). */
export interface DayUsage {
  org: string;
  day: string;
  runs: number;
  gbSeconds: number;
}

/** Usage per org and day (`functions.usage`). */
@Injectable()
export class UsageRepository {
  constructor(@InjectDataSource('functions') private readonly dataSource: DataSource) {}

  /** Adds counts to the days' totals, of any orgs (each entry names its own), in one statement. */
  async add(entries: DayUsage[]): Promise<void> {
    const params: unknown[] = [];
    const rows = entries.map((e) => {
      params.push(e.org, e.day, e.runs, e.gbSeconds);
      const n = params.length;
      return `($${n - 3}, $${n - 2}::date, $${n - 1}, $${n})`;
    });
    await this.dataSource.query(
      `INSERT INTO "functions"."usage" ("org", "day", "runs", "gb_seconds") VALUES ${rows.join(', ')}
       ON CONFLICT ("org", "day") DO UPDATE SET "runs" = "usage"."runs" + EXCLUDED."runs", "gb_seconds" = "usage"."gb_seconds" + EXCLUDED."gb_seconds"`,
      params,
    );
  }

  /** What `org` has used from the UTC day `since` on, as written so far. */
  async totalSince(org: string, since: string): Promise<{ runs: number; gbSeconds: number }> {
    const [row] = (await this.dataSource.query(
      `SELECT COALESCE(SUM("runs"), 0)::bigint AS runs, COALESCE(SUM("gb_seconds"), 0) AS gb FROM "functions"."usage" WHERE "org" = $1 AND "day" >= $2::date`,
      [org, since],
    )) as { runs: string; gb: number }[];
    return { runs: Number(row.runs), gbSeconds: Number(row.gb) };
  }
}
