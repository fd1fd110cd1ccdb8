import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type DayUsage, UsageRepository } from './usage.repository';

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
  private counted = new Map<string, DayUsage>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly usage: UsageRepository) {}

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
    await this.usage.add(entries);
  }

  /** Usage of `org` from `since` (a UTC day) until now, including what is not written yet. */
  async report(org: string, since: string): Promise<OrgUsage> {
    let { runs, gbSeconds } = await this.usage.totalSince(org, since);
    for (const e of this.counted.values()) {
      if (e.org === org && e.day >= since) {
        runs += e.runs;
        gbSeconds += e.gbSeconds;
      }
    }
    return { org, since, runs, gbSeconds: Math.round(gbSeconds * 1000) / 1000 };
  }
}
