import { Module } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Agent, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import { BUS_SCHEMA, busMigrations, InProcessBus, NatsBus, type Bus } from '@dispatch/bus';
import { DISPATCH_VERSION } from '@dispatch/contracts';
import { identityConfigSchema, ServiceAccountService } from '@dispatch/identity-manager';
import {
  acquireDataDirLock,
  CONNECT_TIMEOUT_MS,
  DataDirInUseError,
  findFreePort,
  migrateSchemas,
  serviceSchema,
  startEmbeddedPostgres,
} from '@dispatch/persistence';
import {
  assertPortsFree,
  AuthModule,
  createHttpApp,
  dependencyStep,
  ExitCode,
  InfrastructureModule,
  listenFailure,
  loadConfigOrExit,
  PlatformModule,
  safeUrl,
  type ShutdownSteps,
  StartupFailure,
} from '@dispatch/platform';
import { startFaasLocal } from '@dispatch/faas-local';
import { functionConfigSchema } from '@dispatch/function-manager';
import { apiConfigSchema } from '@dispatch/api-manager';
import { ensureCliCredentials } from './cli-credentials';
import { type ApiServer, startEmbeddedGateway } from './embedded-gateway';
import { SOLO_SERVICES } from './services';
import type { SoloConfig } from './solo-config';

export interface RunningSolo {
  apiUrl: string;
  /** Where the CLI finds the bootstrap admin's credentials. */
  cliConfig: string;
  gatewayUrl: string;
  /** The embedded function provider (OpenFaaS gateway API) and whether functions are sandboxed. */
  functions: string;
  dataDir: string;
  database: string;
  /** Settles when a dependency is lost for good (the embedded PostgreSQL could not be restarted): the server must stop. */
  lost: Promise<StartupFailure>;
}

/** Restarts of the embedded PostgreSQL after an exit nobody asked for: 0.25 + 0.5 + 1 + 2 + 4 s of waiting at most. */
const POSTGRES_RESTARTS = { attempts: 5, firstDelayMs: 250 };

/**
 * Solo mode: one process composing every service over the embedded (or given) PostgreSQL and the
 * in-process (or given NATS) bus. Each step that started something registers its undo in `undo`,
 * so a failure or a signal half way leaves nothing running.
 */
export async function startSolo(config: SoloConfig, logger: Logger, undo: ShutdownSteps): Promise<RunningSolo> {
  const abortIfStopping = () => {
    if (undo.isStopping) throw new Error('stopped during start-up');
  };
  let reportLost!: (failure: StartupFailure) => void;
  const lost = new Promise<StartupFailure>((resolve) => (reportLost = resolve));
  // function-manager's and identity-manager's own variables, checked before anything starts: a
  // mistake there must stop the start at once (exit 1 with the list), not after PostgreSQL and migrations.
  // The gateway proves itself to the invoke route with this secret; it never leaves the process.
  const gatewaySecret = process.env.GATEWAY_SHARED_SECRET || randomBytes(24).toString('base64url');
  loadConfigOrExit(functionConfigSchema);
  loadConfigOrExit(apiConfigSchema, { ...process.env, GATEWAY_SHARED_SECRET: gatewaySecret });
  const identity = loadConfigOrExit(identityConfigSchema);
  try {
    await mkdir(config.DISPATCH_HOME, { recursive: true, mode: 0o700 }).catch((err: Error) => {
      throw new StartupFailure(ExitCode.CONFIG, `cannot create DISPATCH_HOME ${config.DISPATCH_HOME}: ${err.message}`, { cause: err });
    });
    // One Dispatch per data dir, with or without the embedded PostgreSQL: the faas-local socket and
    // the record of its workers live there too. Taken first, so a second server says so at once.
    const postgresDir = join(config.DISPATCH_HOME, 'postgres');
    const lock = await acquireDataDirLock(postgresDir, logger.child({ component: 'postgres' })).catch((err: unknown) => {
      if (err instanceof DataDirInUseError) {
        const reason = `DISPATCH_HOME ${config.DISPATCH_HOME} is in use by Dispatch process ${err.holderPid} (lock ${err.lockFile}): stop that process first, or set DISPATCH_HOME to another directory`;
        throw new StartupFailure(ExitCode.DATA_DIR_IN_USE, reason, { cause: err });
      }
      throw new StartupFailure(ExitCode.CONFIG, `cannot lock DISPATCH_HOME ${config.DISPATCH_HOME}: ${(err as Error).message}`, {
        cause: err,
      });
    });
    undo.add(() => lock.release());
    const apiPortName = { port: config.PORT, variable: 'PORT' };
    const gatewayPortName = { port: config.GATEWAY_PORT, variable: 'GATEWAY_PORT' };
    await assertPortsFree([apiPortName, gatewayPortName], config.HOST);

    let databaseUrl = config.DATABASE_URL;
    let database = 'external PostgreSQL (DATABASE_URL)';
    if (!databaseUrl) {
      const pg = await dependencyStep('starting the embedded PostgreSQL', () =>
        startEmbeddedPostgres({
          dataDir: postgresDir,
          lock,
          log: logger.child({ component: 'postgres' }),
          // Ctrl-C reaches PostgreSQL too (same process group): its exit while stopping is expected.
          isShuttingDown: () => undo.isStopping,
          // Killed or crashed, it comes back on the same port; the pools reconnect by themselves and
          // /readyz answers 503 meanwhile. Accepted async runs wait in its tables.
          restart: {
            ...POSTGRES_RESTARTS,
            onLost: (reason) => reportLost(new StartupFailure(ExitCode.DEPENDENCY_LOST, reason.message, { cause: reason })),
          },
        }),
      );
      undo.add(() => pg.stop());
      databaseUrl = pg.url;
      abortIfStopping();
      database = `embedded PostgreSQL on 127.0.0.1:${pg.port}, data in ${pg.dataDir}`;
    }

    const schemas = [serviceSchema(BUS_SCHEMA, [], busMigrations), ...SOLO_SERVICES.map((s) => s.schema)];
    const migrationsUrl = databaseUrl;
    await dependencyStep('migrating the database', () =>
      migrateSchemas(migrationsUrl, schemas, { log: logger.child({ component: 'migrations' }) }),
    );
    abortIfStopping();

    // Functions run on the embedded OpenFaaS-compatible provider, reached through the OpenFaaS
    // client exactly as cluster mode reaches OpenFaaS. It listens on a unix socket in the data dir
    // (0600: no other local user can call it), and its /system API takes credentials only we know.
    const imagesRoot = join(config.DISPATCH_HOME, 'images');
    const faasCredentials = { user: 'dispatch', password: config.FAAS_LOCAL_PASSWORD ?? randomBytes(24).toString('base64url') };
    const faasSocket = join(config.DISPATCH_HOME, 'faas-local.sock');
    const faas = await startFaasLocal({
      socketPath: faasSocket,
      imagesRoot,
      workDir: join(config.DISPATCH_HOME, 'faas-local'),
      hiddenPaths: [config.DISPATCH_HOME],
      basicAuth: faasCredentials,
      logger: logger.child({ component: 'faas-local' }),
    });
    undo.add(() => faas.stop());
    abortIfStopping();
    // function-manager talks HTTP to faas-local over in-memory connections: the same requests and
    // answers as over the socket, without a kernel round trip per call (most of a call's cost here).
    const openFaasAgent = new Agent({ keepAlive: true, maxSockets: 256 });
    openFaasAgent.createConnection = () => faas.connect() as Socket;
    undo.add(async () => openFaasAgent.destroy());
    const functions = loadConfigOrExit(functionConfigSchema, {
      ...process.env,
      GATEWAY_SHARED_SECRET: gatewaySecret,
      OPENFAAS_URL: faas.url,
      OPENFAAS_SOCKET: faasSocket,
      OPENFAAS_USER: faasCredentials.user,
      OPENFAAS_PASSWORD: faasCredentials.password,
      FUNCTION_IMAGES_DIR: imagesRoot,
    });

    let bus: Bus;
    if (config.NATS_URL) {
      const url = config.NATS_URL;
      bus = await dependencyStep(`connecting to NATS at ${safeUrl(url)}`, () =>
        NatsBus.connect({ url, namespace: config.NATS_NAMESPACE, name: 'dispatch-solo', log: logger.child({ component: 'bus' }) }),
      );
    } else {
      const pool = new Pool({
        connectionString: databaseUrl,
        max: 5,
        application_name: 'dispatch-bus',
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      });
      // An idle client losing its connection (PostgreSQL restarting or stopping) must not crash us.
      pool.on('error', (err) => logger.warn({ err }, 'bus database connection lost'));
      undo.add(() => pool.end());
      bus = await dependencyStep('starting the bus on PostgreSQL', () =>
        InProcessBus.start({ pool, log: logger.child({ component: 'bus' }) }),
      );
    }
    undo.add(() => bus.close());

    // Chosen before the services are composed: the gateway's routes name the API's address before it listens.
    const apiPort = config.PORT || (await findFreePort(config.HOST));
    // The API's server exists once the app is made, after the gateway: the gateway reaches it from then on.
    const apiServer: ApiServer = { port: apiPort };
    const gateway = await startEmbeddedGateway(config.DISPATCH_HOME, config.GATEWAY_PORT, config.HOST, apiServer).catch((err: unknown) => {
      throw listenFailure(err, gatewayPortName, config.HOST);
    });
    undo.add(() => gateway.gateway.close());
    const apiUrl = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${apiPort}`;
    // The gateway's upstream is this process's API, reached on loopback even when the API listens on every address.
    const upstreamHost =
      config.HOST === '0.0.0.0'
        ? '127.0.0.1'
        : config.HOST === '::'
          ? '[::1]'
          : config.HOST.includes(':')
            ? `[${config.HOST}]`
            : config.HOST;
    // APIs are served by the embedded gateway, unless KONG_ADMIN_URL names a Kong to drive instead.
    const apis = loadConfigOrExit(apiConfigSchema, {
      ...process.env,
      ...(process.env.KONG_ADMIN_URL ? {} : { KONG_ADMIN_URL: 'http://localhost', KONG_ADMIN_SOCKET: gateway.adminSocket }),
      FUNCTION_MANAGER_URL: process.env.FUNCTION_MANAGER_URL || `http://${upstreamHost}:${apiPort}`,
      GATEWAY_SHARED_SECRET: gatewaySecret,
    });

    @Module({
      imports: [
        PlatformModule.forRoot({ serviceName: 'dispatch', config, logger }),
        InfrastructureModule.forRoot({ databaseUrl, bus }),
        AuthModule.forRoot({
          deploymentIssuers: config.DISPATCH_TRUSTED_ISSUERS,
          platformOrg: config.DISPATCH_PLATFORM_ORG,
          refreshMs: config.AUTHZ_REFRESH_MS,
        }),
        ...SOLO_SERVICES.map((s) => s.module({ functions, openFaasAgent, identity, apis })),
      ],
    })
    class SoloModule {}

    abortIfStopping();
    const app = await createHttpApp(SoloModule, { config, logger, title: 'Dispatch', version: DISPATCH_VERSION });
    undo.add(() => app.close());
    apiServer.server = app.getHttpServer() as Server;
    await app.listen({ port: apiPort, host: config.HOST }).catch((err: unknown) => {
      throw listenFailure(err, apiPortName, config.HOST);
    });
    // Stopping, the gateway goes first: no request is forwarded into an API that is closing.
    undo.add(() => gateway.gateway.close());
    const cliConfig = await ensureCliCredentials(
      app.get(ServiceAccountService),
      config.DISPATCH_HOME,
      config.DISPATCH_PLATFORM_ORG,
      apiUrl,
    );
    return {
      apiUrl,
      cliConfig,
      gatewayUrl: gateway.url,
      functions: `faas-local on ${faasSocket} (${faas.sandbox === 'bwrap' ? 'sandboxed with bubblewrap' : 'NOT sandboxed: install bubblewrap to isolate functions'})`,
      dataDir: config.DISPATCH_HOME,
      database,
      lost,
    };
  } catch (err) {
    await undo.stop();
    throw err;
  }
}
