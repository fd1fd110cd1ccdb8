import { type CpuPerCall, type Measurements, totalCpu } from './measure';
import type { Row } from './report';

/** Goals of a comparison, printed beside its figures. */
export interface LatencyGoals {
  throughput?: string;
  /** The most ms one call may add to the baseline's, one call at a time. */
  addedMs?: number;
}

/** Throughput and latency of a kind of call beside its baseline's. */
export function latencyRows(measured: Measurements, baseline: Measurements, connections: number, goals: LatencyGoals = {}): Row[] {
  // One call at a time, the mean latency is the inverse of the throughput (autocannon's own
  // latency figures are whole milliseconds, too coarse here).
  const meanMs = (m: Measurements) => 1000 / m.alone.requestsPerSec;
  const added = `added ${(meanMs(measured) - meanMs(baseline)).toFixed(2)} ms`;
  return [
    {
      name: 'throughput',
      value: measured.loaded.requestsPerSec,
      baseline: baseline.loaded.requestsPerSec,
      unit: 'req/s',
      higherIsBetter: true,
      goal: goals.throughput,
    },
    {
      name: `p50 latency, ${connections} connections`,
      value: measured.loaded.p50Ms,
      baseline: baseline.loaded.p50Ms,
      unit: 'ms',
      higherIsBetter: false,
    },
    {
      name: `p99 latency, ${connections} connections`,
      value: measured.loaded.p99Ms,
      baseline: baseline.loaded.p99Ms,
      unit: 'ms',
      higherIsBetter: false,
    },
    // Added latency is read one call at a time: under load both sides mostly measure their queue.
    {
      name: 'mean latency, one call at a time',
      value: meanMs(measured),
      baseline: meanMs(baseline),
      unit: 'ms',
      higherIsBetter: false,
      goal: goals.addedMs === undefined ? added : `${added} (<= ${goals.addedMs} ms)`,
    },
    {
      name: 'throughput, one call at a time',
      value: measured.alone.requestsPerSec,
      baseline: baseline.alone.requestsPerSec,
      unit: 'req/s',
      higherIsBetter: true,
    },
  ];
}

/** A part a CpuMeter reads, and its name in a table. */
export type CpuPart = [key: string, label: string];

/** A solo server's parts (soloCpu). */
export const SOLO_PARTS: CpuPart[] = [
  ['server', 'server process (API, gateway, faas-local)'],
  ['workers', 'function workers'],
  ['postgres', 'PostgreSQL'],
];

/**
 * CPU per call of each part beside the baseline's, then all of them. It says where the time goes
 * whatever else the machine runs: when the cores are saturated, the throughput ratio cannot
 * exceed the ratio of the totals.
 */
export function cpuRows(measured: CpuPerCall, baseline: CpuPerCall, totalGoal?: string, parts: CpuPart[] = SOLO_PARTS): Row[] {
  const row = (name: string, value: number, base: number, goal?: string): Row => ({
    name,
    value,
    baseline: base,
    unit: 'µs',
    higherIsBetter: false,
    goal,
  });
  const keys = parts.map(([key]) => key);
  return [
    ...parts.map(([key, label]) => row(label, measured[key] ?? 0, baseline[key] ?? 0)),
    row('all of them', totalCpu(measured, keys), totalCpu(baseline, keys), totalGoal),
  ];
}

/** The bare proxy's process (startBareProxy), as the meters of the benches that start one name it. */
export const PROXY_PART: CpuPart = ['proxy', 'bare proxy process'];

/**
 * A CPU per call read against the bare proxy hop's (what the proxy process spent per call through
 * it, under the same load): the ratio is how many of the cheapest hops a Node process can add it costs.
 */
export function proxyHopRow(name: string, valueUs: number, throughProxy: Measurements, goal: string): Row {
  return { name, value: valueUs, baseline: throughProxy.loaded.cpu[PROXY_PART[0]], unit: 'µs', higherIsBetter: false, goal };
}
