import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import type { RunStatus } from '@dispatch/contracts';
import { Metrics } from '@dispatch/platform';

/** Runs on /metrics: how many ended how, and how long they ran (by status; orgs and functions would be unbounded labels). */
@Injectable()
export class RunMetrics {
  private readonly ended: Counter<'status' | 'blocking'>;
  private readonly duration: Histogram<'status'>;

  constructor(metrics: Metrics) {
    this.ended = new Counter({
      name: 'dispatch_runs_total',
      help: 'Function runs by final status',
      labelNames: ['status', 'blocking'],
      registers: [metrics.registry],
    });
    this.duration = new Histogram({
      name: 'dispatch_run_duration_seconds',
      help: 'Time from a run starting to its end, by final status',
      labelNames: ['status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [metrics.registry],
    });
  }

  record(status: RunStatus, blocking: boolean, seconds: number): void {
    this.ended.inc({ status, blocking: String(blocking) });
    this.duration.observe({ status }, seconds);
  }
}
