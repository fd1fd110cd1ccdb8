import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { access, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from '@dispatch/testing';
import { Client } from 'pg';
import { startEmbeddedPostgres, type RunningEmbeddedPostgres } from './embedded-postgres-launcher';
import { recordingLogger, type LogEntry } from '../test-support/recording-logger';

// Starting servers, and a child process that starts one, takes longer than jest's 5 s default.
jest.setTimeout(60_000);

/** PIDs of live processes whose command line names `dataDir`. */
async function processesUsing(dataDir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0').includes(dataDir)) pids.push(Number(entry));
  }
  return pids;
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

const loud = (entries: LogEntry[]) => entries.filter((e) => e.level === 'warn' || e.level === 'error');

describe('startEmbeddedPostgres', () => {
  let root: string;
  let dataDir: string;
  let lockFile: string;
  const started: RunningEmbeddedPostgres[] = [];

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'dispatch-embedded-pg-'));
    dataDir = path.join(root, 'data');
    lockFile = path.join(root, 'dispatch.lock');
  });

  afterAll(async () => {
    await Promise.all(started.map((pg) => pg.stop()));
    await rm(root, { recursive: true, force: true });
  });

  async function start(log = recordingLogger(), port?: number, isShuttingDown?: () => boolean) {
    const pg = await startEmbeddedPostgres({ dataDir, log, port, isShuttingDown });
    started.push(pg);
    return pg;
  }

  const postmasterPid = async () => Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);

  it('initialises, serves the dispatch database, and stops without leaving a process', async () => {
    // The superuser password must never pass through the shared temp dir (embedded-postgres'
    // own initialise() leaves it there, world-readable, while initdb runs); it goes to a private
    // directory beside the data directory instead.
    const inSharedTmp: string[] = [];
    const inRoot: string[] = [];
    const watchers = [
      watch(tmpdir(), (_, name) => name?.startsWith('pg-password-') && inSharedTmp.push(name)),
      watch(root, (_, name) => name && inRoot.push(name)),
    ];
    const log = recordingLogger();
    let pg: RunningEmbeddedPostgres;
    try {
      pg = await start(log);
    } finally {
      for (const w of watchers) w.close();
    }
    expect(inSharedTmp).toEqual([]);
    expect(inRoot).toContain('.pg-init-tmp');
    expect(await exists(path.join(root, '.pg-init-tmp'))).toBe(false);

    expect(pg.url).toMatch(new RegExp(`^postgres://postgres:[^@]+@127\\.0\\.0\\.1:${pg.port}/dispatch$`));
    await query(pg.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('survives restarts')");
    const [settings] = await query<{ listen: string; sockets: string; encoding: string }>(
      pg.url,
      "SELECT current_setting('listen_addresses') AS listen, current_setting('unix_socket_directories') AS sockets, pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = current_database()",
    );
    expect(settings).toEqual({ listen: '127.0.0.1', sockets: '', encoding: 'UTF8' });
    // Server output goes to the logger at debug, never to the console.
    expect(log.entries.some((e) => e.level === 'debug' && /ready to accept connections/.test(e.msg ?? ''))).toBe(true);
    if (process.getuid?.() === 0) {
      // mkdtemp made `root` 0700: the postgres OS user could not have reached the data dir.
      const traversal = log.entries.filter((e) => e.level === 'warn' && /o\+x/.test(e.msg ?? ''));
      expect(traversal).toHaveLength(1);
      expect(traversal[0]!.msg).toContain(root);
    }
    expect(loud(log.entries).filter((e) => !/o\+x/.test(e.msg ?? ''))).toEqual([]);
    expect((await readFile(lockFile, 'utf8')).split('\n')[0]).toBe(String(process.pid));

    await pg.stop();
    await pg.stop();
    expect(await processesUsing(dataDir)).toEqual([]);
    expect(await exists(lockFile)).toBe(false);
  });

  it('keeps a generated password private and never accepts the package default', async () => {
    const file = path.join(root, 'pg-password');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const password = (await readFile(file, 'utf8')).trim();
    expect(password).not.toBe('password');
    expect(password.length).toBeGreaterThanOrEqual(24);

    const pg = await start();
    const withDefault = new URL(pg.url);
    withDefault.password = 'password';
    await expect(query(withDefault.toString(), 'SELECT 1')).rejects.toThrow(/password authentication failed/);
    await pg.stop();
  });

  it('reuses the data directory on restart: rows written before are still there', async () => {
    const pg = await start();
    expect(await query(pg.url, 'SELECT v FROM kept')).toEqual([{ v: 'survives restarts' }]);
    await pg.stop();
    expect(await processesUsing(dataDir)).toEqual([]);
  });

  it('refuses a second start on a data directory in use, and the first server keeps serving', async () => {
    const first = await start();
    const firstPid = await postmasterPid();
    const log = recordingLogger();
    await expect(startEmbeddedPostgres({ dataDir, log })).rejects.toThrow(
      `data dir ${dataDir} is in use by Dispatch process ${process.pid}; stop it first or set DISPATCH_HOME to another directory`,
    );
    expect(loud(log.entries)).toEqual([]);
    expect(await postmasterPid()).toBe(firstPid);
    expect(await query(first.url, 'SELECT v FROM kept')).toEqual([{ v: 'survives restarts' }]);
    await first.stop();
    expect(await processesUsing(dataDir)).toEqual([]);
  });

  it('stops a server whose owning process was SIGKILLed, taking over its lock', async () => {
    const script = path.join(__dirname, '../test-support/start-embedded-postgres-child.cjs');
    const owner = spawn(process.execPath, [script, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    owner.stdout.on('data', (c: Buffer) => (out += c.toString()));
    owner.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const ownerExited = new Promise((resolve) => owner.once('exit', resolve));
    try {
      await waitFor(() => out.includes('"url"') || owner.exitCode !== null, { what: 'the child to start PostgreSQL', timeoutMs: 45_000 });
      expect(out).toContain('"url"');
    } finally {
      owner.kill('SIGKILL');
      await ownerExited;
    }
    const orphanPid = await postmasterPid();
    expect(await processesUsing(dataDir)).toContain(orphanPid);
    expect((await readFile(lockFile, 'utf8')).split('\n')[0]).toBe(String(owner.pid));

    const log = recordingLogger();
    const pg = await start(log);
    const warned = (key: string, pid: number) =>
      log.entries.some((e) => e.level === 'warn' && (e.obj as Record<string, unknown> | undefined)?.[key] === pid);
    expect(warned('stalePid', owner.pid!)).toBe(true);
    expect(warned('stalePid', orphanPid)).toBe(true);
    expect(await processesUsing(dataDir)).not.toContain(orphanPid);
    expect(await query(pg.url, 'SELECT v FROM kept')).toEqual([{ v: 'survives restarts' }]);
    await pg.stop();
    expect(await processesUsing(dataDir)).toEqual([]);
  });

  describe('when PostgreSQL exits on its own', () => {
    it('is quiet about it while the host shuts down, and stop() still resolves', async () => {
      const log = recordingLogger();
      let shuttingDown = false;
      const pg = await start(log, undefined, () => shuttingDown);
      const pid = await postmasterPid();
      expect(pg.stopping).toBe(false);
      shuttingDown = true;
      expect(pg.stopping).toBe(true);
      // What a terminal's Ctrl-C does: the signal reaches the whole process group, PostgreSQL too.
      process.kill(pid, 'SIGINT');
      await waitFor(async () => !(await processesUsing(dataDir)).includes(pid), { what: 'PostgreSQL to exit' });
      await waitFor(() => log.entries.some((e) => /exited/.test(e.msg ?? '')), { what: 'the exit to be noticed' });
      await pg.stop();
      expect(loud(log.entries)).toEqual([]);
      expect(log.entries.some((e) => e.level === 'info' && e.msg === 'embedded PostgreSQL stopped')).toBe(true);
      expect(await exists(lockFile)).toBe(false);
    });

    it('resolves stop() called while the server is already shutting down, logging nothing loud', async () => {
      const log = recordingLogger();
      const pg = await start(log);
      process.kill(await postmasterPid(), 'SIGINT');
      await pg.stop();
      expect(pg.stopping).toBe(true);
      expect(loud(log.entries)).toEqual([]);
      expect(await processesUsing(dataDir)).toEqual([]);
    });

    it('logs an exit nobody asked for at error, once; a later stop() adds nothing loud', async () => {
      const log = recordingLogger();
      const pg = await start(log);
      expect(pg.stopping).toBe(false);
      process.kill(await postmasterPid(), 'SIGINT');
      await waitFor(() => log.entries.some((e) => e.level === 'error'), { what: 'the error entry' });
      await pg.stop();
      expect(loud(log.entries).map((e) => [e.level, e.msg])).toEqual([['error', 'embedded PostgreSQL exited unexpectedly']]);
      expect(await exists(lockFile)).toBe(false);
    });
  });

  describe('with a restart policy', () => {
    it('starts a killed server again on the same port and data, and stop() still stops it', async () => {
      const restarted: number[] = [];
      const lost: Error[] = [];
      const pg = await startEmbeddedPostgres({
        dataDir,
        log: recordingLogger(),
        restart: { attempts: 3, firstDelayMs: 100, onRestarted: (n) => restarted.push(n), onLost: (e) => lost.push(e) },
      });
      started.push(pg);
      const first = await postmasterPid();
      process.kill(first, 'SIGKILL');
      await waitFor(() => restarted.length > 0, { what: 'the restart', timeoutMs: 30_000 });
      expect(restarted).toEqual([1]);
      expect(await postmasterPid()).not.toBe(first);
      expect(await query(pg.url, 'SELECT v FROM kept')).toEqual([{ v: 'survives restarts' }]);
      await pg.stop();
      expect(lost).toEqual([]);
      expect(await processesUsing(dataDir)).toEqual([]);
      expect(await exists(lockFile)).toBe(false);
    });

    it('gives up after its attempts when the data is gone, telling why, and stop() resolves', async () => {
      const lost: Error[] = [];
      const pg = await startEmbeddedPostgres({
        dataDir,
        log: recordingLogger(),
        restart: { attempts: 2, firstDelayMs: 50, onLost: (e) => lost.push(e) },
      });
      started.push(pg);
      const pid = await postmasterPid();
      // A data directory that vanished (a disk unmounted, a wrong cleanup) cannot be started again.
      await rename(dataDir, `${dataDir}.moved`);
      try {
        process.kill(pid, 'SIGKILL');
        await waitFor(() => lost.length > 0, { what: 'the restart to be given up', timeoutMs: 30_000 });
        expect(lost[0].message).toMatch(/could not be restarted in 2 attempts/);
        await pg.stop();
      } finally {
        await rename(`${dataDir}.moved`, dataDir);
      }
      expect(await exists(lockFile)).toBe(false);
    });
  });

  it("rejects with PostgreSQL's own output when the server cannot start, and releases the lock", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startEmbeddedPostgres({ dataDir, log: recordingLogger(), port })).rejects.toThrow(
        /PostgreSQL failed to start[\s\S]*could not bind IPv4 address/,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    expect(await processesUsing(dataDir)).toEqual([]);
    expect(await exists(lockFile)).toBe(false);
  });
});
