import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { hasEnded, readProcStat } from '@dispatch/util';

/** A live process as /proc shows it to its owner. */
export interface ProcInfo {
  pid: number;
  /** Its arguments joined by spaces. */
  cmdline: string;
  /** Its working directory; empty when unreadable (another user's process, or gone meanwhile). */
  cwd: string;
}

/**
 * The processes of the machine that `match` picks, read from /proc (zombies excluded: they hold
 * nothing any more). For tests that must find what a server left behind, whatever its parent now is.
 */
export function findProcesses(match: (process: ProcInfo) => boolean): ProcInfo[] {
  const found: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readProcStat(name);
      if (!stat || hasEnded(stat)) continue;
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${name}/cwd`);
      } catch {
        // not ours to read
      }
      const info = { pid: Number(name), cmdline, cwd };
      if (match(info)) found.push(info);
    } catch {
      // gone while we looked
    }
  }
  return found;
}

/** Whether `pid` is a live process: it exists and is not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  const stat = readProcStat(pid);
  return stat !== undefined && !hasEnded(stat);
}
