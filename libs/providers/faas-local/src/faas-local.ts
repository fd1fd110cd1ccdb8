import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { arch, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DISPATCH_VERSION, type OpenFaasGatewayInfo, type RuntimeShim } from '@dispatch/contracts';
import pino, { type Logger } from 'pino';
import { inMemoryConnection } from '@dispatch/util';
import { defaultRuntimes } from './default-runtimes';
import type { DeploymentRules } from './deployment';
import type { BasicAuthCredentials } from './http/basic-auth';
import { createRouter } from './http/router';
import { endLeftoverWorkers, WorkerLedger } from './leftovers';
import type { FunctionStatsSnapshot } from './metrics';
import type { PoolContext } from './pool';
import { FunctionRegistry } from './registry';
import { withInterpreters } from './runtime-interpreters';
import { detectSandbox, type SandboxMode } from './sandbox';
import { waitAtMost } from './wait';
import type { WorkerState } from './worker';

export interface FaasLocalScaling {
  /** A worker above the floor stops after this long without a call. Default 30 s. */
  idleDelayMs?: number;
  /** A worker whose health check has not answered 200 by then is killed. Default 30 s. */
  startTimeoutMs?: number;
  /** First wait after a worker failed to start; doubles up to backoffMaxMs. Defaults 1 s, 30 s. */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** How often memory is sampled and idle workers looked at. Default 200 ms. */
  monitorIntervalMs?: number;
}

/** Knob values of a deployment that sets none (its labels and env vars override them). */
export interface FaasLocalDefaults {
  minReplicas?: number;
  maxReplicas?: number;
  maxInflight?: number;
  execTimeoutMs?: number;
}

export interface FaasLocalOptions {
  /** Listen address. Default 127.0.0.1: the provider runs code on request, keep it on loopback. */
  host?: string;
  /** 0 (default) = any free port; read the chosen one from `url`. */
  port?: number;
  /**
   * Listen on this unix socket (mode 0600) instead of host:port: only this OS user can reach the
   * provider, and a call skips the TCP stack. `url` is then `http://localhost`, used with `socketPath`.
   */
  socketPath?: string;
  /** Where local images are unpacked: `local/<hex>` runs the tree at `<imagesRoot>/<hex>/`. */
  imagesRoot: string;
  /** Shims by DISPATCH_RUNTIME value. Default: the Node.js and Python runtimes of libs/runtimes. */
  runtimes?: Record<string, RuntimeShim>;
  /** When set, every /system/* route requires it (401 otherwise); call routes and /healthz do not. */
  basicAuth?: BasicAuthCredentials;
  logger?: Logger;
  /** Sockets and unsandboxed workers' homes. Default: a new temporary directory, removed at stop. */
  workDir?: string;
  /** Default auto: bubblewrap when it works here. */
  sandbox?: SandboxMode;
  /** Paths a sandboxed function must not see (DISPATCH_HOME: database, keys). The work dir and images root are always hidden. */
  hiddenPaths?: string[];
  scaling?: FaasLocalScaling;
  defaults?: FaasLocalDefaults;
  /** Highest scale.max a deployment may ask for. Default 20. */
  replicaLimit?: number;
  /** Calls one function may hold waiting; beyond it a call is answered 429. Default 10 000. */
  maxQueueLength?: number;
  /** Largest call body. Default 32 MiB (413 beyond). */
  maxBodyBytes?: number;
  /** Log lines kept per function for /system/logs. Default 1000. */
  logLinesPerFunction?: number;
  /** How long stop() lets accepted calls finish before it kills workers. Default 10 s. */
  drainTimeoutMs?: number;
}

export interface WorkerInfo {
  id: string;
  pid?: number;
  state: WorkerState;
  generation: number;
  inflight: number;
  rssBytes?: number;
}

export interface FaasLocal {
  /** `http://host:port`, the OpenFaaS gateway URL to give the client. */
  url: string;
  /** 0 when listening on a unix socket. */
  port: number;
  /** The unix socket it listens on, when asked to. */
  socketPath?: string;
  /**
   * A connection to this provider that never leaves the process: an in-memory stream carrying the
   * same HTTP/1.1 conversation a socket would, for a client in the same process (solo mode) to
   * use as its agent's connections. It skips the kernel, whose socket writes cost most of a call.
   */
  connect(): Duplex;
  /** How functions are isolated: bwrap, or none (see sandboxReason). */
  sandbox: 'bwrap' | 'none';
  sandboxReason?: string;
  workDir: string;
  /** The workers of a function (for diagnostics and tests): ids, pids, states. */
  workers(name: string): WorkerInfo[];
  /** Calls of a function waiting for a free worker. */
  queued(name: string): number;
  /** Invocation count and recent call durations of a function. */
  stats(name: string): FunctionStatsSnapshot | undefined;
  /** Stops accepting, lets accepted calls finish (drainTimeoutMs), ends every worker, removes sockets. */
  stop(): Promise<void>;
}

/** Unix socket paths are limited to 107 bytes on Linux; a worker's is `<workDir>/w/<seq>/s.sock`. */
const MAX_WORK_DIR_LENGTH = 107 - '/w/0000000000/s.sock'.length;

const ARCH_NAMES: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', arm: 'armv7l' };

/**
 * Starts the embedded OpenFaaS-compatible provider of solo mode: the gateway REST API on
 * `host:port`, each function run as warm local worker processes of its runtime shim.
 */
export async function startFaasLocal(options: FaasLocalOptions): Promise<FaasLocal> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const scaling = options.scaling ?? {};
  const imagesRoot = resolve(options.imagesRoot);

  const [sandbox, runtimes] = await Promise.all([
    detectSandbox(options.sandbox ?? 'auto'),
    withInterpreters(options.runtimes ?? defaultRuntimes(), process.env, logger),
  ]);
  if (sandbox.kind === 'none') logger.warn(`functions are not sandboxed: ${sandbox.reason}`);

  const ownWorkDir = !options.workDir;
  const workDir = options.workDir ? resolve(options.workDir) : mkdtempSync(join(tmpdir(), 'faas-local-'));
  if (workDir.length > MAX_WORK_DIR_LENGTH) {
    throw new Error(`faas-local: workDir ${workDir} is too long for unix socket paths (at most ${MAX_WORK_DIR_LENGTH} characters)`);
  }
  mkdirSync(workDir, { recursive: true, mode: 0o700 });
  // Workers, sockets and homes a provider killed outright left behind: worker numbers start again at 1.
  const ledger = new WorkerLedger(join(workDir, 'workers'), logger);
  endLeftoverWorkers(ledger.file, logger);
  for (const sub of ['w', 'h']) rmSync(join(workDir, sub), { recursive: true, force: true });

  let seq = 0;
  const ctx: PoolContext = {
    sandbox,
    workDir,
    hiddenPaths: [...(options.hiddenPaths ?? []).map((p) => resolve(p)), workDir, imagesRoot],
    logger,
    hostEnv: process.env,
    ledger,
    shimOf: (runtime) => runtimes[runtime],
    nextSeq: () => ++seq,
    startTimeoutMs: scaling.startTimeoutMs ?? 30_000,
    idleDelayMs: scaling.idleDelayMs ?? 30_000,
    maxQueueLength: options.maxQueueLength ?? 10_000,
    backoffInitialMs: scaling.backoffInitialMs ?? 1000,
    backoffMaxMs: scaling.backoffMaxMs ?? 30_000,
    logLines: options.logLinesPerFunction ?? 1000,
  };
  const defaults = options.defaults ?? {};
  const rules: DeploymentRules = {
    runtimes: Object.keys(runtimes),
    imagesRoot,
    imageExists: (dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory() ?? false,
    defaults: {
      minReplicas: defaults.minReplicas ?? 1,
      maxReplicas: defaults.maxReplicas ?? 5,
      maxInflight: defaults.maxInflight ?? 1,
      execTimeoutMs: defaults.execTimeoutMs ?? 60_000,
    },
    replicaLimit: options.replicaLimit ?? 20,
  };
  const registry = new FunctionRegistry(rules, ctx, logger);

  const version = { sha: 'unknown', release: DISPATCH_VERSION };
  const info: OpenFaasGatewayInfo = {
    provider: { provider: 'faas-local', orchestration: 'local', version },
    version,
    arch: ARCH_NAMES[arch()] ?? arch(),
  };
  const asyncCalls = new Set<Promise<unknown>>();
  const server = http.createServer(
    createRouter({
      registry,
      info,
      logger,
      basicAuth: options.basicAuth,
      maxBodyBytes: options.maxBodyBytes ?? 32 * 1024 * 1024,
      maxJsonBytes: 1024 * 1024,
      trackAsync: (work) => {
        const tracked = work.catch((err: unknown) => logger.error({ err }, 'async call failed')).finally(() => asyncCalls.delete(tracked));
        asyncCalls.add(tracked);
      },
    }),
  );
  // Clients keep connections to the provider open between calls; outlast their idle timeouts.
  server.keepAliveTimeout = 65_000;

  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      const listening = () => {
        server.off('error', reject);
        resolveListen();
      };
      if (options.socketPath) {
        // A socket file a provider killed outright left behind would refuse the listen.
        rmSync(options.socketPath, { force: true });
        server.listen(options.socketPath, listening);
      } else {
        server.listen(options.port ?? 0, options.host ?? '127.0.0.1', listening);
      }
    });
    if (options.socketPath) chmodSync(options.socketPath, 0o600);
  } catch (err) {
    if (ownWorkDir) rmSync(workDir, { recursive: true, force: true });
    throw err;
  }
  const address = options.socketPath ? undefined : (server.address() as AddressInfo);
  const host = address?.family === 'IPv6' ? `[${address.address}]` : address?.address;
  const url = address ? `http://${host}:${address.port}` : 'http://localhost';

  const monitor = setInterval(() => registry.tick(), scaling.monitorIntervalMs ?? 200);
  monitor.unref();
  // Unsandboxed workers are their own process groups and would outlive a provider that exits
  // without stop() (an uncaught error, process.exit): end them synchronously on the way out.
  const killOnExit = () => registry.killNow();
  process.on('exit', killOnExit);
  logger.info({ url, sandbox: sandbox.kind, workDir }, 'faas-local listening');

  let stopping: Promise<void> | undefined;
  const stop = async () => {
    const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    server.closeIdleConnections();
    const drainMs = options.drainTimeoutMs ?? 10_000;
    await registry.shutdown(drainMs);
    // Async calls finish with their callbacks (a queued one was just answered 503 by the pools).
    await waitAtMost(Promise.all(asyncCalls), drainMs);
    clearInterval(monitor);
    server.closeAllConnections();
    await closed;
    process.off('exit', killOnExit);
    ledger.clear();
    rmSync(ownWorkDir ? workDir : join(workDir, 'w'), { recursive: true, force: true });
    if (!ownWorkDir) rmSync(join(workDir, 'h'), { recursive: true, force: true });
    logger.info('faas-local stopped');
  };

  return {
    url,
    port: address?.port ?? 0,
    ...(options.socketPath ? { socketPath: options.socketPath } : {}),
    sandbox: sandbox.kind,
    sandboxReason: sandbox.reason,
    workDir,
    workers: (name) =>
      (registry.get(name)?.workers ?? []).map((w) => ({
        id: w.id,
        pid: w.pid,
        state: w.state,
        generation: w.generation,
        inflight: w.inflight,
        rssBytes: w.rssBytes,
      })),
    queued: (name) => registry.get(name)?.queueLength ?? 0,
    stats: (name) => registry.get(name)?.stats.snapshot(),
    connect: () => inMemoryConnection(server),
    stop: () => (stopping ??= stop()),
  };
}
