import { existsSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hasEnded, readProcStat } from '@dispatch/util';
import type { PersistenceLogger } from '../logger';

/** Lock files this process holds: its own pid in a lock file is ours only if it is listed here. */
const heldHere = new Set<string>();

/** A process as a lock file records it: the pid, and its start time where /proc tells it (guards against pid reuse). */
interface LockOwner {
  pid: number;
  startTime?: string;
}

export interface DataDirLock {
  readonly file: string;
  /** Deletes the lock file if it is still ours. Safe to call more than once. */
  release(): Promise<void>;
}

/** Where the lock of `dataDir` lives: beside it, in the Dispatch home. */
export function dataDirLockFile(dataDir: string): string {
  return path.join(path.dirname(path.resolve(dataDir)), 'dispatch.lock');
}

/**
 * Makes this process the only Dispatch on `dataDir`. The lock file is created exclusively (flag
 * wx) and holds this process's pid. When it exists, the process it names is asked: alive (and
 * not this one) → refused; gone → the lock is stale, its owner died without stopping, and this
 * process takes it over. So once it is held, any PostgreSQL still serving the data directory
 * was left by a dead owner and may be stopped.
 *
 * Two processes taking over the same stale lock in the same moment could both succeed;
 * re-reading the lock right before deleting it keeps that window to a few milliseconds.
 */
export async function acquireDataDirLock(dataDir: string, log: PersistenceLogger): Promise<DataDirLock> {
  const file = dataDirLockFile(dataDir);
  // Reserved before the first await: two starts in this process must not both get through.
  if (heldHere.has(file)) throw inUse(dataDir, process.pid);
  heldHere.add(file);
  try {
    const self = describeProcess(process.pid);
    const content = `${self.pid}\n${self.startTime ?? ''}\n`;
    for (let attempt = 0; ; attempt++) {
      try {
        await writeFile(file, content, { flag: 'wx', mode: 0o644 });
        return lockHandle(file, content);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        if (attempt >= 10) throw new Error(`could not take the lock ${file}: other processes keep replacing it`);
      }
      const recorded = await readLock(file);
      if (recorded === undefined) continue; // deleted meanwhile: try again
      if (recorded === '') {
        // Created but not written yet by a process starting right now; an empty file for long is a crash in between.
        if (attempt < 4) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          continue;
        }
      }
      const owner = parseOwner(recorded);
      if (owner && owner.pid !== process.pid && (await isAlive(owner))) throw inUse(dataDir, owner.pid);
      if ((await readLock(file)) !== recorded) continue; // someone else took it over meanwhile
      log.warn(
        { stalePid: owner?.pid, lockFile: file, dataDir },
        `taking over the lock of a Dispatch process that ended without stopping (${owner ? `pid ${owner.pid}` : 'unreadable lock file'})`,
      );
      await unlink(file).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    }
  } catch (err) {
    heldHere.delete(file);
    throw err;
  }
}

function lockHandle(file: string, content: string): DataDirLock {
  let released: Promise<void> | undefined;
  return {
    file,
    release: () =>
      (released ??= (async () => {
        try {
          if ((await readLock(file)) === content) await unlink(file);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        } finally {
          heldHere.delete(file);
        }
      })()),
  };
}

/** Another running Dispatch holds the data dir: `holderPid` is the process named in the lock. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
    readonly lockFile: string,
  ) {
    super(`data dir ${dataDir} is in use by Dispatch process ${holderPid}; stop it first or set DISPATCH_HOME to another directory`);
    this.name = 'DataDirInUseError';
  }
}

function inUse(dataDir: string, pid: number): Error {
  return new DataDirInUseError(dataDir, pid, dataDirLockFile(dataDir));
}

async function readLock(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function parseOwner(content: string): LockOwner | undefined {
  const [pidLine = '', startTime = ''] = content.split('\n');
  const pid = Number(pidLine.trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return { pid, startTime: startTime.trim() || undefined };
}

/** Whether the recorded process still runs: not gone, not a zombie, and (where known) started when recorded. */
async function isAlive(owner: LockOwner): Promise<boolean> {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = readProcStat(owner.pid);
  // Without /proc the signal test is all there is; with it, a missing entry means it just ended.
  if (!now) return !existsSync('/proc/self/stat');
  if (hasEnded(now)) return false;
  return owner.startTime === undefined || owner.startTime === now.startTime;
}

function describeProcess(pid: number): LockOwner {
  return { pid, startTime: readProcStat(pid)?.startTime };
}
