import { load, type LoadResult } from './load';
import { cpuPerRequestUs, treeCpu } from './process-cpu';

/** One kind of call the load repeats: a POST of the same body. */
export interface Target {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** Send to this unix socket (faas-local's); the URL then gives only the path. */
  socketPath?: string;
}

/** CPU per call in µs: the server process, its embedded PostgreSQL, the rest of its descendants (the function workers), and all. */
export interface CpuSplit {
  server: number;
  postgres: number;
  workers: number;
  total: number;
}

export interface Measured extends LoadResult {
  cpu: CpuSplit;
}

/** One kind of call measured under load (N connections) and one call at a time. */
export interface Measurements {
  loaded: Measured;
  alone: Measured;
}

/**
 * A load of `seconds` on the target from `clients` connections, after a warm-up of up to 2 s, and
 * what it cost each part of the server's process tree per call (from /proc). Any failed call fails
 * the benchmark: a figure made of error answers says nothing.
 */
export async function measure(serverPid: number, target: Target, seconds: number, clients: number): Promise<Measured> {
  const options = {
    connections: clients,
    method: 'POST' as const,
    headers: target.headers,
    body: target.body,
    socketPath: target.socketPath,
  };
  await load(target.url, { ...options, seconds: Math.min(2, seconds) });
  const before = treeCpu(serverPid);
  const result = await load(target.url, { ...options, seconds });
  const cpu = cpuPerRequestUs(before, treeCpu(serverPid), result.requests);
  if (result.errors + result.non2xx > 0) throw new Error(`${target.url}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  return { ...result, cpu: splitCpu(cpu) };
}

/**
 * Each target under load from `connections` clients, then each one call at a time (every load
 * of a kind before the next kind, so the targets share whatever drift the machine has).
 */
export async function measureAll<K extends string>(
  serverPid: number,
  targets: Record<K, Target>,
  seconds: number,
  connections: number,
): Promise<Record<K, Measurements>> {
  const names = Object.keys(targets) as K[];
  const loaded = new Map<K, Measured>();
  for (const name of names) loaded.set(name, await measure(serverPid, targets[name], seconds, connections));
  const out = {} as Record<K, Measurements>;
  for (const name of names)
    out[name] = { loaded: loaded.get(name) as Measured, alone: await measure(serverPid, targets[name], seconds, 1) };
  return out;
}

/** The server's own CPU, its embedded PostgreSQL's and the rest of its descendants' (the function workers). */
export function splitCpu(cpu: Record<string, number>): CpuSplit {
  const total = Object.values(cpu).reduce((a, b) => a + b, 0);
  const postgres = cpu['postgres'] ?? 0;
  return { server: cpu['server'], postgres, workers: total - cpu['server'] - postgres, total };
}
