import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hasEnded, readProcStat } from '@dispatch/util';
import type { Logger } from 'pino';

/**
 * The start time of a process (clock ticks after boot), undefined once it is gone or a zombie. A
 * pid and its start time name one process for good: the kernel reuses pids, never both.
 */
export function startTimeOf(pid: number): string | undefined {
  const stat = readProcStat(pid);
  return stat && !hasEnded(stat) ? stat.startTime : undefined;
}

/**
 * The provider's record of its running workers, one `<pid> <start time>` line each, kept in its
 * work dir (the data dir in solo mode). Workers die with the provider through their lifeline; the
 * record is for whatever still escapes that (a shim that ignores it, a worker stuck in the kernel),
 * so the next start of the same data dir can end them. Rewritten whole at each change (a temporary
 * file renamed over it), so a provider killed mid-write leaves the old record or the new one.
 */
export class WorkerLedger {
  private readonly running = new Map<number, string>();
  private warned = false;

  constructor(
    readonly file: string,
    private readonly logger: Logger,
  ) {}

  add(pid: number): void {
    const startTime = startTimeOf(pid);
    if (startTime === undefined) return; // already gone: nothing to end later
    this.running.set(pid, startTime);
    this.write();
  }

  remove(pid: number): void {
    if (this.running.delete(pid)) this.write();
  }

  /** Removes the record (a provider that stopped in order left nothing running). */
  clear(): void {
    this.running.clear();
    rmSync(this.file, { force: true });
  }

  private write(): void {
    const lines = [...this.running].map(([pid, startTime]) => `${pid} ${startTime}\n`).join('');
    const temporary = `${this.file}.new`;
    try {
      writeFileSync(temporary, lines, { mode: 0o600 });
      renameSync(temporary, this.file);
    } catch (err) {
      // A backstop only (the lifeline is what ends workers): a full disk must not fail the calls.
      if (!this.warned)
        this.logger.warn(
          { err, file: this.file },
          'cannot record the running workers: after a crash, the next start could not end one that missed its lifeline',
        );
      this.warned = true;
    }
  }
}

/**
 * Ends the workers a previous provider on the same work dir recorded and left running (it was
 * killed outright), then forgets the record. Only a process whose start time still matches is
 * killed, with its process group (a worker leads its own, holding whatever the function forked):
 * a pid the kernel gave to another process since is left alone. A worker already gone has its
 * group ended (what the function started). Returns how many workers or groups were ended.
 */
export function endLeftoverWorkers(ledgerFile: string, logger: Logger): number {
  let text: string;
  try {
    text = readFileSync(ledgerFile, 'utf8');
  } catch {
    return 0;
  }
  let ended = 0;
  for (const line of text.split('\n')) {
    const [pidText, recorded] = line.trim().split(' ');
    const pid = Number(pidText);
    if (!Number.isInteger(pid) || pid <= 1 || !recorded) continue;
    const started = startTimeOf(pid);
    if (started === undefined) {
      // The worker is gone (the kernel's parent-death signal took it) but what it started may
      // live on in its group. The kernel gives no new process a number still used as a group id,
      // so the group is still the worker's.
      try {
        process.kill(-pid, 'SIGKILL');
        ended++;
      } catch {
        // No such group: nothing left.
      }
      continue;
    }
    if (started !== recorded) continue;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Not a group leader (any more): the process alone.
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        continue;
      }
    }
    ended++;
  }
  if (ended > 0) logger.warn({ ended, ledgerFile }, `ended ${ended} function workers left running by a provider that did not stop`);
  rmSync(ledgerFile, { force: true });
  return ended;
}
