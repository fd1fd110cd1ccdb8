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

function statOf(pid: string): Stat | undefined {
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

/** CPU used between two readings, as microseconds per request: the root and each descendant name. */
export function cpuPerRequestUs(before: TreeCpu, after: TreeCpu, requests: number): Record<string, number> {
  const per = (ms: number) => (ms * 1000) / requests;
  const out: Record<string, number> = { server: per(after.root - before.root) };
  for (const [name, ms] of after.byName) out[name] = per(ms - (before.byName.get(name) ?? 0));
  return out;
}
