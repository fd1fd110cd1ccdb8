import { readFileSync } from 'node:fs';

/** A worker forking a process storm must not make one sample walk thousands of entries. */
const MAX_PROCESSES_PER_TREE = 64;

function readRssBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
    // A zombie has no VmRSS line: it holds no memory any more.
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return undefined;
  }
}

/** The direct children of a process (its main thread's, where runtimes fork). */
export function childPids(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').trim();
    return text ? text.split(' ').map(Number) : [];
  } catch {
    return [];
  }
}

/**
 * Resident memory of a process and its descendants, in bytes (undefined once the process is
 * gone). The tree matters: a sandboxed worker is `bwrap` → init → runtime, and a function may
 * fork helpers that count against its limit as they would in a container's cgroup. Reads procfs
 * synchronously: a few small in-memory files, cheaper than the promises around async reads.
 */
export function processTreeRssBytes(pid: number): number | undefined {
  const root = readRssBytes(pid);
  if (root === undefined) return undefined;
  let total = root;
  const pending = childPids(pid);
  let seen = 1;
  while (pending.length && seen < MAX_PROCESSES_PER_TREE) {
    const child = pending.pop() as number;
    seen++;
    total += readRssBytes(child) ?? 0;
    pending.push(...childPids(child));
  }
  return total;
}

/** A process and its descendants, by host pid (a sandboxed worker is bwrap → bwrap → runtime). */
export function processTreePids(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length && all.length < MAX_PROCESSES_PER_TREE; i++) all.push(...childPids(all[i]));
  return all;
}
