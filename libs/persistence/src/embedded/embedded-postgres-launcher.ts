import type { ChildProcess } from 'node:child_process';
import { access, chown, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import { LineSplitter } from '@dispatch/util';
import type { PersistenceLogger } from '../logger';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import { findFreePort } from './free-port';
import { initialiseCluster } from './initdb';
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
  /**
   * Asked when the server exits before stop() was called: true means the host is shutting down,
   * so the exit is expected (logged at info) rather than a failure (logged at error). A terminal's
   * Ctrl-C signals the whole process group, PostgreSQL included, which then shuts down on its own
   * while the host is still draining; pass e.g. `() => shutdownSteps.isStopping`.
   */
  isShuttingDown?: () => boolean;
  /**
   * Restart a server that exits when nobody asked it to (killed, crashed), on the same port and
   * data, so the host's connection pools find it again. Without this, such an exit is only logged.
   */
  restart?: RestartPolicy;
  /**
   * The data directory's lock when the caller took it already (to fail fast, before slower start-up
   * steps); the server then owns it and releases it on stop or a failed start, as its own.
   */
  lock?: DataDirLock;
}

export interface RestartPolicy {
  /** Tries before giving up. */
  attempts: number;
  /** Wait before the first try; each next try waits twice as long. */
  firstDelayMs: number;
  /** The server is back: told once per successful restart. */
  onRestarted?: (attempt: number) => void;
  /** Every try failed: the host has lost its database and should stop. */
  onLost: (reason: Error) => void;
}

export interface RunningEmbeddedPostgres {
  /** Connection URL of the application database. */
  url: string;
  port: number;
  dataDir: string;
  /** True once stop() was called or the host's `isShuttingDown()` says so: the server exiting is then expected. */
  readonly stopping: boolean;
  /**
   * Fast shutdown; resolves once the server process has exited (at once if it already has) and
   * the data directory's lock is released. Safe to call more than once.
   */
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
/** Lines of server output kept to explain a failed start. */
const OUTPUT_TAIL = 40;

/**
 * Starts PostgreSQL on `dataDir`, initialising the cluster on first use. Only one Dispatch
 * process at a time may use a data directory: a second start while the first runs is refused,
 * and a server a dead (e.g. SIGKILLed) owner left running is stopped first.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningEmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  const lock = options.lock ?? (await acquireDataDirLock(dataDir, options.log));
  try {
    return await startLocked(options, dataDir, lock);
  } catch (err) {
    await lock.release();
    throw err;
  }
}

async function startLocked(options: EmbeddedPostgresOptions, dataDir: string, lock: DataDirLock): Promise<RunningEmbeddedPostgres> {
  const { log } = options;
  const database = options.database ?? 'dispatch';
  const password = await readOrCreatePassword(path.join(path.dirname(dataDir), 'pg-password'));
  const port = options.port ?? (await findFreePort());
  const runAs = process.getuid?.() === 0 ? await ensurePostgresOsUser(log) : undefined;
  const initialised = await exists(path.join(dataDir, 'PG_VERSION'));
  if (runAs) await prepareForOsUser(dataDir, runAs, initialised, log);
  // Holding the lock, any server on the data directory belongs to an owner that is gone.
  if (initialised) await stopStalePostmaster(dataDir, postgresBinaries().pg_ctl, runAs, log);

  const output: string[] = [];
  // One log record per PostgreSQL line keeps the log greppable.
  const lines = new LineSplitter(
    (line) => {
      output.push(line);
      if (output.length > OUTPUT_TAIL) output.shift();
      log.debug({ source: 'postgres' }, line);
    },
    { skipBlank: true },
  );

  if (!initialised) {
    log.info({ dataDir }, 'initialising a new PostgreSQL cluster');
    await initialiseCluster({
      initdb: postgresBinaries().initdb,
      dataDir,
      superuser: SUPERUSER,
      password,
      runAs,
      // Without an explicit encoding initdb follows the environment's locale, often C → SQL_ASCII.
      flags: ['--encoding=UTF8', '--locale=C'],
      onOutput: (chunk) => lines.write(chunk),
    }).then(
      () => lines.end(),
      (err: unknown) => {
        lines.end();
        throw new Error(`could not initialise ${dataDir}: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
  }

  const EmbeddedPostgres = loadEmbeddedPostgres();
  const launch = async (): Promise<ChildProcess> => {
    const server = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: SUPERUSER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      // Loopback TCP only: no socket file to clean up, nothing reachable from other hosts.
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      createPostgresUser: runAs !== undefined,
      onLog: (message) => lines.write(message),
      onError: (err) => log.warn({ err }, 'embedded-postgres reported an error'),
    });
    return startServer(server, options.startTimeoutMs ?? 60_000).catch((err: unknown) => {
      lines.end();
      const reason = err instanceof Error ? `${err.message}; ` : '';
      throw new Error(
        `PostgreSQL failed to start on ${dataDir} (port ${port}): ${reason}server output:\n${output.slice(-OUTPUT_TAIL).join('\n')}`,
      );
    });
  };

  let stopping: Promise<void> | undefined;
  /** A restart under way: stop() waits for it, then stops whatever it started. */
  let restarting: Promise<void> | undefined;
  const exitExpected = (): boolean => {
    if (stopping) return true;
    try {
      return options.isShuttingDown?.() === true;
    } catch {
      return false; // runs inside the exit listener: a failing callback must not crash the host
    }
  };
  let child = await launch();
  const watch = (server: ChildProcess): Promise<void> => {
    // kill() of a process that is already gone is no error; anything else must not crash the host.
    server.on('error', (err) => log.warn({ err, dataDir }, 'could not signal the embedded PostgreSQL'));
    return new Promise<void>((resolve) => {
      if (hasExited(server)) return resolve();
      server.once('exit', (code, signal) => {
        lines.end();
        if (stopping) {
          // stop() logs the outcome.
        } else if (exitExpected()) {
          log.info({ code, signal, dataDir }, 'embedded PostgreSQL exited while the host shuts down');
        } else {
          log.error({ code, signal, dataDir, output: output.slice(-10) }, 'embedded PostgreSQL exited unexpectedly');
          if (options.restart) restarting = restart(options.restart).finally(() => (restarting = undefined));
        }
        resolve();
      });
    });
  };
  let exited = watch(child);

  const restart = async (policy: RestartPolicy): Promise<void> => {
    let last: unknown;
    for (let attempt = 1; attempt <= policy.attempts; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, policy.firstDelayMs * 2 ** (attempt - 1)));
      if (exitExpected()) return;
      try {
        // The killed postmaster's backends may still hold the data directory for a moment.
        await stopStalePostmaster(dataDir, postgresBinaries().pg_ctl, runAs, log);
        child = await launch();
        exited = watch(child);
        log.warn({ attempt, port, dataDir }, 'embedded PostgreSQL restarted');
        policy.onRestarted?.(attempt);
        return;
      } catch (err) {
        last = err;
        log.warn({ attempt, of: policy.attempts, err }, 'embedded PostgreSQL could not be restarted; trying again');
      }
    }
    if (exitExpected()) return;
    const reason = last instanceof Error ? last.message : String(last);
    policy.onLost(new Error(`embedded PostgreSQL exited and could not be restarted in ${policy.attempts} attempts: ${reason}`));
  };

  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await restarting;
      // SIGINT is PostgreSQL's fast shutdown: abort open transactions, checkpoint, exit.
      if (!hasExited(child)) child.kill('SIGINT');
      await exited;
      await lock.release();
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
  return {
    url,
    port,
    dataDir,
    get stopping() {
      return exitExpected();
    },
    stop,
  };
}

/**
 * The package's start() rejects with undefined when the server exits early and never settles if
 * it hangs; this gives both cases a reason and hands back the server process for shutdown.
 */
async function startServer(server: InstanceType<ReturnType<typeof loadEmbeddedPostgres>>, timeoutMs: number): Promise<ChildProcess> {
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
