import 'reflect-metadata';
import { Controller, Get, type DynamicModule, Module } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { BUS_SCHEMA, busMigrations, InProcessBus } from '@dispatch/bus';
import { IDENTITY_SCHEMA, identityInProcess, ServiceAccountService } from '@dispatch/identity-manager';
import { migrateSchemas, serviceSchema, startEmbeddedPostgres } from '@dispatch/persistence';
import {
  Authorize,
  baseConfigSchema,
  createHttpApp,
  createLogger,
  InfrastructureModule,
  loadConfig,
  PlatformModule,
} from '@dispatch/platform';
import { serverMain } from '../lib/server-main';

/** The route both runs serve: the same handler, behind the guard or not. */
@Controller('v1/bench')
class BenchController {
  @Get('ping')
  @Authorize('function', 'get')
  ping() {
    return { status: 'ok' };
  }
}

/**
 * Bench server: BENCH_AUTH=on composes the real guard (token verification + RBAC from the
 * identity snapshot); off serves the same route with no guard. Registers BENCH_PUBLIC_KEY as
 * service account default/bench with the viewer role, so the client's tokens are real.
 */
async function main(): Promise<() => Promise<void>> {
  const withAuth = process.env['BENCH_AUTH'] === 'on';
  const home = await mkdtemp(join(tmpdir(), 'dispatch-bench-auth-'));
  const logger = createLogger({ level: 'warn', name: 'bench' });
  const pg = await startEmbeddedPostgres({ dataDir: join(home, 'postgres'), log: logger });
  await migrateSchemas(pg.url, [serviceSchema(BUS_SCHEMA, [], busMigrations), IDENTITY_SCHEMA], { log: logger });
  const pool = new Pool({ connectionString: pg.url, max: 3 });
  const bus = await InProcessBus.start({ pool, log: logger });
  const config = loadConfig(baseConfigSchema, { LOG_LEVEL: 'warn' });
  const auth: DynamicModule[] = withAuth
    ? identityInProcess({ deploymentIssuers: [], refreshMs: 60_000, admins: [], secretsBackend: 'postgres' })
    : [];
  @Module({
    imports: [
      PlatformModule.forRoot({ serviceName: 'bench', config, logger }),
      InfrastructureModule.forRoot({ databaseUrl: pg.url, bus }),
      ...auth,
    ],
    controllers: [BenchController],
  })
  class BenchModule {}
  const app = await createHttpApp(BenchModule, { config, logger, title: 'bench', version: '0' });
  if (withAuth) await app.get(ServiceAccountService).ensureAdmin('default', 'bench', process.env['BENCH_PUBLIC_KEY'] ?? '');
  await app.listen({ port: Number(process.env['PORT']), host: '127.0.0.1' });
  return async () => {
    await app.close();
    await bus.close();
    await pool.end();
    await pg.stop();
    await rm(home, { recursive: true, force: true });
  };
}

serverMain(main);
