export interface Row {
  name: string;
  value: number;
  baseline: number;
  unit: string;
  /** Whether a larger value is better (throughput) or worse (latency, time). */
  higherIsBetter: boolean;
  goal?: string;
}

/** Prints each figure beside the baseline measured in the same run, and their ratio. */
export function printTable(title: string, rows: Row[]): void {
  const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(2));
  process.stdout.write(`\n${title}\n`);
  process.stdout.write(`${'figure'.padEnd(40)}${'measured'.padStart(14)}${'baseline'.padStart(14)}${'ratio'.padStart(9)}  goal\n`);
  for (const r of rows) {
    // No ratio to a baseline of nothing (a part the baseline's calls do not pass through).
    const ratio = r.baseline === 0 ? '-' : (r.value / r.baseline).toFixed(2);
    process.stdout.write(
      `${r.name.padEnd(40)}${`${fmt(r.value)} ${r.unit}`.padStart(14)}${`${fmt(r.baseline)} ${r.unit}`.padStart(14)}${ratio.padStart(9)}  ${r.goal ?? ''}\n`,
    );
  }
}
