import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres, type RunningEmbeddedPostgres } from './embedded-postgres-launcher';
import { recordingLogger } from '../test-support/recording-logger';

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

describe('startEmbeddedPostgres', () => {
  let root: string;
  let dataDir: string;
  const started: RunningEmbeddedPostgres[] = [];

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'dispatch-embedded-pg-'));
    dataDir = path.join(root, 'data');
  });

  afterAll(async () => {
    await Promise.all(started.map((pg) => pg.stop()));
    await rm(root, { recursive: true, force: true });
  });

  async function start(log = recordingLogger(), port?: number) {
    const pg = await startEmbeddedPostgres({ dataDir, log, port });
    started.push(pg);
    return pg;
  }

  it('initialises, serves the dispatch database, and stops without leaving a process', async () => {
    const log = recordingLogger();
    const pg = await start(log);
    expect(pg.url).toMatch(new RegExp(`^postgres://postgres:[^@]+@127\\.0\\.0\\.1:${pg.port}/dispatch$`));
    await query(pg.url, 'CREATE TABLE kept (v text); INSERT INTO kept VALUES (\'survives restarts\')');
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

    await pg.stop();
    await pg.stop();
    expect(await processesUsing(dataDir)).toEqual([]);
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

  it('stops a server an earlier, killed run left on the data directory before starting', async () => {
    const orphan = await start();
    const orphanPid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);

    const log = recordingLogger();
    const pg = await start(log);
    expect(log.entries.some((e) => e.level === 'warn' && (e.obj as { stalePid?: number }).stalePid === orphanPid)).toBe(true);
    expect(await processesUsing(dataDir)).not.toContain(orphanPid);
    expect(await query(pg.url, 'SELECT v FROM kept')).toEqual([{ v: 'survives restarts' }]);
    await pg.stop();
    await orphan.stop();
    expect(await processesUsing(dataDir)).toEqual([]);
  });

  it("rejects with PostgreSQL's own output when the server cannot start", async () => {
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
  });
});
