import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readProcStat } from '@dispatch/util';
import { recordingLogger } from '../test-support/recording-logger';
import { acquireDataDirLock, dataDirLockFile } from './data-dir-lock';

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

function idleProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve(child));
    child.once('error', reject);
  });
}

async function ended(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** What a lock held by this process holds: its pid, and its start time against pid reuse. */
const ownContent = () => `${process.pid}\n${readProcStat(process.pid)!.startTime}\n`;

describe('acquireDataDirLock', () => {
  let home: string;
  let dataDir: string;
  let lockFile: string;

  beforeEach(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'dispatch-lock-'));
    dataDir = path.join(home, 'postgres');
    lockFile = dataDirLockFile(dataDir);
  });

  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('writes this process pid and start time beside the data dir, refuses a second hold naming it, and deletes the file on release', async () => {
    expect(lockFile).toBe(path.join(home, 'dispatch.lock'));
    const log = recordingLogger();
    const lock = await acquireDataDirLock(dataDir, log);
    expect(lock.file).toBe(lockFile);
    expect(await readFile(lockFile, 'utf8')).toBe(ownContent());
    await expect(acquireDataDirLock(dataDir, recordingLogger())).rejects.toThrow(
      `data dir ${dataDir} is in use by Dispatch process ${process.pid}; stop it first or set DISPATCH_HOME to another directory`,
    );
    expect(await readFile(lockFile, 'utf8')).toBe(ownContent());
    await lock.release();
    await lock.release();
    expect(await exists(lockFile)).toBe(false);
    const again = await acquireDataDirLock(dataDir, log);
    expect(await readFile(lockFile, 'utf8')).toBe(ownContent());
    await again.release();
    expect(await exists(lockFile)).toBe(false);
    expect(log.entries).toEqual([]);
  });

  it('refuses while the process named in the lock is alive', async () => {
    const other = await idleProcess();
    try {
      await writeFile(lockFile, `${other.pid}\n`);
      const log = recordingLogger();
      await expect(acquireDataDirLock(dataDir, log)).rejects.toThrow(`in use by Dispatch process ${other.pid};`);
      expect(await readFile(lockFile, 'utf8')).toBe(`${other.pid}\n`);
      expect(log.entries).toEqual([]);
    } finally {
      await ended(other);
    }
  });

  it('takes over the lock of a process that is gone, and says so', async () => {
    const gone = await idleProcess();
    await ended(gone);
    await writeFile(lockFile, `${gone.pid}\n`);
    const log = recordingLogger();
    const lock = await acquireDataDirLock(dataDir, log);
    expect((await readFile(lockFile, 'utf8')).split('\n')[0]).toBe(String(process.pid));
    expect(log.entries).toEqual([expect.objectContaining({ level: 'warn', obj: expect.objectContaining({ stalePid: gone.pid }) })]);
    await lock.release();
  });

  it('takes over a lock naming this pid or a live pid with another start time: a process of an earlier boot or container, and says so', async () => {
    const takeOver = async (recorded: string, stalePid: number) => {
      await writeFile(lockFile, recorded);
      const log = recordingLogger();
      const lock = await acquireDataDirLock(dataDir, log);
      expect(await readFile(lockFile, 'utf8')).toBe(ownContent());
      expect(log.entries).toEqual([expect.objectContaining({ level: 'warn', obj: expect.objectContaining({ stalePid, lockFile }) })]);
      await lock.release();
      expect(await exists(lockFile)).toBe(false);
    };
    await takeOver(`${process.pid}\n`, process.pid);

    const reused = await idleProcess();
    try {
      await takeOver(`${reused.pid}\n1\n`, reused.pid!);
    } finally {
      await ended(reused);
    }
  });

  it('leaves a lock that is no longer its own on release', async () => {
    const lock = await acquireDataDirLock(dataDir, recordingLogger());
    await writeFile(lockFile, '999999\n');
    await lock.release();
    expect(await readFile(lockFile, 'utf8')).toBe('999999\n');
  });
});
