import { readdirSync } from 'node:fs';
import { readProcStat } from '@dispatch/util';

/** Linux counts process CPU time in clock ticks of 10 ms (USER_HZ is 100 on every Linux ABI). */
const MS_PER_TICK = 10;

export interface TreeCpu {
  /** The root process itself. */
  root: number;
  /**
   * Its descendants, by command name (`postgres`, `node`, `python3`, `bwrap`…), in ms, each with
   * the children it reaped; the children the root reaped (replaced workers) are under `(reaped)`.
   */
  byName: Map<string, number>;
}

interface Stat {
  pid: number;
  ppid: number;
  name: string;
  cpuMs: number;
  /** Of its children that exited and were waited for: the kernel adds theirs to the parent. */
  reapedMs: number;
}

function statOf(pid: string | number): Stat | undefined {
  const stat = readProcStat(pid);
  if (!stat) return undefined; // exited while we listed
  const { ppid, comm: name, utime, stime, cutime, cstime } = stat;
  return { pid: Number(pid), ppid, name, cpuMs: (utime + stime) * MS_PER_TICK, reapedMs: (cutime + cstime) * MS_PER_TICK };
}

/**
 * CPU time (user + system) used so far by a process and every live descendant, read from /proc.
 * Read before and after a load, it gives what each part of a server costs per request whatever
 * else the machine runs, which throughput figures on a shared machine cannot.
 */
export function treeCpu(rootPid: number): TreeCpu {
  const stats = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(statOf)
    .filter((s): s is Stat => s !== undefined);
  const children = new Map<number, Stat[]>();
  for (const s of stats) {
    const siblings = children.get(s.ppid);
    if (siblings) siblings.push(s);
    else children.set(s.ppid, [s]);
  }
  const root = stats.find((s) => s.pid === rootPid);
  const byName = new Map<string, number>([['(reaped)', root?.reapedMs ?? 0]]);
  const queue = [...(children.get(rootPid) ?? [])];
  while (queue.length) {
    const s = queue.pop() as Stat;
    byName.set(s.name, (byName.get(s.name) ?? 0) + s.cpuMs + s.reapedMs);
    queue.push(...(children.get(s.pid) ?? []));
  }
  return { root: root?.cpuMs ?? 0, byName };
}

/** CPU time used so far by one process (and the children it reaped), 0 once it is gone. */
export function processCpuMs(pid: number): number {
  const stat = statOf(pid);
  return stat ? stat.cpuMs + stat.reapedMs : 0;
}

/** All a tree's descendants used, in ms (what the root reaped included). */
export function descendantsMs(tree: TreeCpu): number {
  return [...tree.byName.values()].reduce((a, b) => a + b, 0);
}

/**
 * CPU of a changing set of processes that are no child of ours (PostgreSQL's backends serving
 * one database): each reading lists them again and sums every process ever listed at its last
 * known CPU, so one that exits between readings does not take back what it had used. What it used
 * after the last reading before its exit is lost.
 */
export function pidSetCpu(list: () => Promise<number[]>): () => Promise<number> {
  const lastMs = new Map<number, number>();
  return async () => {
    for (const pid of await list()) {
      const stat = statOf(pid);
      if (stat) lastMs.set(pid, stat.cpuMs);
    }
    return [...lastMs.values()].reduce((a, b) => a + b, 0);
  };
}

/** CPU used between two readings of the same parts, as microseconds per request. */
export function cpuPerRequestUs(before: Record<string, number>, after: Record<string, number>, requests: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [part, ms] of Object.entries(after)) out[part] = ((ms - (before[part] ?? 0)) * 1000) / requests;
  return out;
}
