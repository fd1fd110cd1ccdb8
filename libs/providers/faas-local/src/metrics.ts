/** Durations kept per function for percentiles: the recent calls, not the whole history. */
const RECENT_DURATIONS = 1024;

export interface FunctionStatsSnapshot {
  invocationCount: number;
  /** Calls by the HTTP status they were answered with. */
  byStatus: Record<string, number>;
  durationSecondsSum: number;
  /** Durations of the most recent calls, in seconds, oldest first. */
  recentDurationsSeconds: number[];
}

/**
 * Invocation count and call durations of one function: what FunctionStatus.invocationCount and
 * GET /metrics report. O(1) per call, no allocation on the hot path.
 */
export class FunctionStats {
  invocationCount = 0;
  private readonly byStatus = new Map<number, number>();
  private durationSum = 0;
  private readonly recent = new Float64Array(RECENT_DURATIONS);
  private next = 0;

  record(status: number, durationSeconds: number): void {
    this.invocationCount++;
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    this.durationSum += durationSeconds;
    this.recent[this.next % RECENT_DURATIONS] = durationSeconds;
    this.next++;
  }

  snapshot(): FunctionStatsSnapshot {
    const count = Math.min(this.next, RECENT_DURATIONS);
    const recentDurationsSeconds: number[] = [];
    for (let i = this.next - count; i < this.next; i++) recentDurationsSeconds.push(this.recent[i % RECENT_DURATIONS]);
    return {
      invocationCount: this.invocationCount,
      byStatus: Object.fromEntries([...this.byStatus].map(([code, n]) => [String(code), n])),
      durationSecondsSum: this.durationSum,
      recentDurationsSeconds,
    };
  }
}

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** The gateway's own metric names (gateway_function_invocation_total, …) in the Prometheus text format. */
export function prometheusText(
  functions: ReadonlyArray<{ name: string; namespace: string; stats: FunctionStatsSnapshot; replicas: number }>,
): string {
  const lines = [
    '# HELP gateway_function_invocation_total Calls of each function by the status they were answered with.',
    '# TYPE gateway_function_invocation_total counter',
  ];
  const label = (f: { name: string; namespace: string }) => `function_name="${escapeLabel(`${f.name}.${f.namespace}`)}"`;
  for (const f of functions) {
    for (const [code, n] of Object.entries(f.stats.byStatus))
      lines.push(`gateway_function_invocation_total{${label(f)},code="${code}"} ${n}`);
  }
  lines.push('# HELP gateway_functions_seconds Time taken by the calls of each function.', '# TYPE gateway_functions_seconds summary');
  for (const f of functions) {
    lines.push(
      `gateway_functions_seconds_sum{${label(f)}} ${f.stats.durationSecondsSum}`,
      `gateway_functions_seconds_count{${label(f)}} ${f.stats.invocationCount}`,
    );
  }
  lines.push('# HELP gateway_service_count Replicas of each function.', '# TYPE gateway_service_count gauge');
  for (const f of functions) lines.push(`gateway_service_count{${label(f)}} ${f.replicas}`);
  return `${lines.join('\n')}\n`;
}
