import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { InjectDataSource } from '@dispatch/platform';

/** How often counted usage is written; a crash loses at most this much of it. */
export const USAGE_FLUSH_MS = 5000;

export interface OrgUsage {
  org: string;
  since: string;
  runs: number;
  gbSeconds: number;
}

/**
 * Per-org run counts and GB-seconds (duration × memory limit, as FaaS bills), per UTC day.
 * Counted in memory and added to the `usage` table every USAGE_FLUSH_MS, so runs never wait on it.
 */
@Injectable()
export class UsageMeter implements OnModuleInit, OnApplicationShutdown {
  private counted = new Map<string, { org: string; day: string; runs: number; gbSeconds: number }>();
  private timer?: NodeJS.Timeout;

  constructor(@InjectDataSource('functions') private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), USAGE_FLUSH_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  count(org: string, durationMs: number, memoryMb: number, at = new Date()): void {
    const day = at.toISOString().slice(0, 10);
    const key = `${org}/${day}`;
    const entry = this.counted.get(key) ?? { org, day, runs: 0, gbSeconds: 0 };
    entry.runs += 1;
    entry.gbSeconds += (durationMs / 1000) * (memoryMb / 1024);
    this.counted.set(key, entry);
  }

  async flush(): Promise<void> {
    if (!this.counted.size) return;
    const entries = [...this.counted.values()];
    this.counted = new Map();
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

  /** Usage of `org` from `since` (a UTC day) until now, including what is not written yet. */
  async report(org: string, since: string): Promise<OrgUsage> {
    const [row] = (await this.dataSource.query(
      `SELECT COALESCE(SUM("runs"), 0)::bigint AS runs, COALESCE(SUM("gb_seconds"), 0) AS gb FROM "functions"."usage" WHERE "org" = $1 AND "day" >= $2::date`,
      [org, since],
    )) as { runs: string; gb: number }[];
    let runs = Number(row.runs);
    let gbSeconds = Number(row.gb);
    for (const e of this.counted.values()) {
      if (e.org === org && e.day >= since) {
        runs += e.runs;
        gbSeconds += e.gbSeconds;
      }
    }
    return { org, since, runs, gbSeconds: Math.round(gbSeconds * 1000) / 1000 };
  }
}
