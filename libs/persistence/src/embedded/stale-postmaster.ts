import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PersistenceLogger } from '../logger';
import type { OsUser } from './os-user';

const execFileAsync = promisify(execFile);

/** PID recorded on the first line of postmaster.pid, if the file exists. */
export async function readPostmasterPid(dataDir: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Whether `pid` is alive and is a postgres server started on `dataDir` (guards against PID reuse). */
export async function isPostmasterFor(pid: number, dataDir: string): Promise<boolean> {
  try {
    const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    return path.basename(args[0] ?? '') === 'postgres' && args.includes(dataDir);
  } catch {
    return false;
  }
}

/**
 * A Node process killed with SIGKILL leaves its PostgreSQL running and holding the data
 * directory; a new start would fail on the lock file. Stops such a server (fast shutdown,
 * through pg_ctl as the server's OS user) and returns its PID, or undefined when there was none.
 *
 * It stops whatever server runs on the directory: call it only while holding the data
 * directory's lock (data-dir-lock.ts), which proves the server's owning process is gone.
 */
export async function stopStalePostmaster(
  dataDir: string,
  pgCtl: string,
  runAs: OsUser | undefined,
  log: PersistenceLogger,
): Promise<number | undefined> {
  const pid = await readPostmasterPid(dataDir);
  if (pid === undefined || !(await isPostmasterFor(pid, dataDir))) return undefined;
  log.warn({ stalePid: pid, dataDir }, 'stopping a PostgreSQL server left running on this data directory by an earlier run');
  try {
    await execFileAsync(pgCtl, ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60'], {
      ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
  } catch (err) {
    const e = err as Error & { stderr?: string; stdout?: string };
    throw new Error(`could not stop the stale PostgreSQL (pid ${pid}) on ${dataDir}: ${e.stderr || e.stdout || e.message}`);
  }
  return pid;
}
