import { readFileSync } from 'node:fs';

/** The fields of `/proc/<pid>/stat` (proc(5)) that Dispatch reads. */
export interface ProcStat {
  pid: number;
  /** The command name as the kernel keeps it (at most 15 bytes): it may hold spaces and parentheses. */
  comm: string;
  /** One letter: R running, S sleeping, D waiting on I/O, Z zombie, X dead, … */
  state: string;
  ppid: number;
  /** CPU time in clock ticks: user and system of the process itself… */
  utime: number;
  stime: number;
  /** …and of its children that exited and were waited for, which the kernel adds to the parent. */
  cutime: number;
  cstime: number;
  /**
   * When it started, in clock ticks after boot. With the pid it names one process for good: the
   * kernel reuses pids, never both. Kept as the kernel writes it: compared, never computed with.
   */
  startTime: string;
}

/** Fields after the command name up to starttime (field 22 of proc(5), the 20th after comm). */
const FIELDS_AFTER_COMM = 20;

/** Parses the text of a `/proc/<pid>/stat` file; undefined when it is not one. */
export function parseProcStat(text: string): ProcStat | undefined {
  // The command name is in parentheses and may itself hold spaces, parentheses or newlines, but
  // nothing after it holds a ')': the fields are counted from its last one.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const fields = text.slice(close + 2).split(' ');
  if (fields.length < FIELDS_AFTER_COMM) return undefined;
  const number = (i: number) => Number(fields[i]);
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: fields[0],
    ppid: number(1),
    utime: number(11),
    stime: number(12),
    cutime: number(13),
    cstime: number(14),
    startTime: fields[19],
  };
}

/**
 * The stat of a process, undefined once it is gone (or where there is no /proc). Synchronous: a
 * small file the kernel writes from memory, cheaper than the promise around an async read.
 */
export function readProcStat(pid: number | string): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return parseProcStat(text);
}

/** Whether the process has ended: a zombie waiting to be reaped, or dead, holds nothing any more. */
export function hasEnded(stat: ProcStat): boolean {
  return stat.state === 'Z' || stat.state === 'X';
}
