import { load, type LoadResult } from './load';
import { cpuPerRequestUs, descendantsMs, treeCpu } from './process-cpu';

/** One kind of call the load repeats: a POST of the same body. */
export interface Target {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** Send to this unix socket (faas-local's); the URL then gives only the path. */
  socketPath?: string;
}

/**
 * CPU used so far, in ms, by each part a benchmark watches (a process, a process tree…), read
 * once before a load and once after.
 */
export type CpuMeter = () => Record<string, number> | Promise<Record<string, number>>;

/** CPU per call in µs, by the parts of a CpuMeter. */
export type CpuPerCall = Record<string, number>;

export interface Measured extends LoadResult {
  cpu: CpuPerCall;
  /** Calls answered 2xx, the warm-up's included: what a target that keeps records must have recorded. */
  answered: number;
}

/** One kind of call measured under load (N connections) and one call at a time. */
export interface Measurements {
  loaded: Measured;
  alone: Measured;
}

/**
 * A load of `seconds` on the target from `clients` connections, after a warm-up of up to 2 s, and
 * what it cost each part the meter reads per call (from /proc). Any failed call fails the
 * benchmark: a figure made of error answers says nothing.
 */
export async function measure(meter: CpuMeter, target: Target, seconds: number, clients: number): Promise<Measured> {
  const options = {
    connections: clients,
    method: 'POST' as const,
    headers: target.headers,
    body: target.body,
    socketPath: target.socketPath,
  };
  const warmUp = await load(target.url, { ...options, seconds: Math.min(2, seconds) });
  const before = await meter();
  const result = await load(target.url, { ...options, seconds });
  const cpu = cpuPerRequestUs(before, await meter(), result.requests);
  if (result.errors + result.non2xx > 0) throw new Error(`${target.url}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  return { ...result, cpu, answered: warmUp.requests - warmUp.non2xx + result.requests };
}

/**
 * Each target under load from `connections` clients, then each one call at a time (every load
 * of a kind before the next kind, so the targets share whatever drift the machine has).
 */
export async function measureAll<K extends string>(
  meter: CpuMeter,
  targets: Record<K, Target>,
  seconds: number,
  connections: number,
): Promise<Record<K, Measurements>> {
  const names = Object.keys(targets) as K[];
  const loaded = new Map<K, Measured>();
  for (const name of names) loaded.set(name, await measure(meter, targets[name], seconds, connections));
  const out = {} as Record<K, Measurements>;
  for (const name of names) out[name] = { loaded: loaded.get(name) as Measured, alone: await measure(meter, targets[name], seconds, 1) };
  return out;
}

/** The solo server's parts: its own process, its embedded PostgreSQL and the rest of its descendants (the function workers). */
export function soloCpu(serverPid: number): Record<string, number> {
  const tree = treeCpu(serverPid);
  const postgres = tree.byName.get('postgres') ?? 0;
  return { server: tree.root, postgres, workers: descendantsMs(tree) - postgres };
}

/** All the parts of a reading together. */
export function totalCpu(cpu: CpuPerCall, parts: string[] = Object.keys(cpu)): number {
  return parts.reduce((sum, part) => sum + (cpu[part] ?? 0), 0);
}
