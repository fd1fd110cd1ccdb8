import { type DynamicModule, Module } from '@nestjs/common';
import { NatsBus } from '@dispatch/bus';
import { pingDatabase } from '@dispatch/persistence';
import { z } from 'zod';
import { authConfigSchema, baseConfigSchema, loadConfigOrExit } from '../config/config';
import { AuthModule } from '../auth/auth.module';
import { createHttpApp } from '../http/create-http-app';
import { InfrastructureModule } from '../infrastructure/infrastructure.module';
import { createLogger } from '../logging/logger';
import { safeUrl } from '../logging/safe-url';
import { PlatformModule } from '../platform.module';
import { onShutdownSignal } from './shutdown';
import { dependencyStep, exitOnStartupFailure, listenFailure } from './startup-failures';

/** A service running alone (cluster mode) needs an external PostgreSQL and NATS. */
export const serviceConfigSchema = baseConfigSchema.extend(authConfigSchema.shape).extend({
  DATABASE_URL: baseConfigSchema.shape.DATABASE_URL.unwrap(),
  NATS_URL: baseConfigSchema.shape.NATS_URL.unwrap(),
});
export type ServiceConfig = z.infer<typeof serviceConfigSchema>;

export interface ServiceAppOptions {
  /** e.g. `function-manager`: the log name, metrics label, and NATS connection name. */
  name: string;
  version: string;
  feature: DynamicModule;
}

/**
 * The whole bootstrap of one service process: validated config, logger, NATS, HTTP. Migrations
 * are not run here: in cluster mode they are an explicit step (`npm run migrations:run`, a Job).
 * A failed start prints its reason and exits with its code (the README's exit code table).
 */
export async function runServiceApp(options: ServiceAppOptions): Promise<void> {
  await startServiceApp(options).catch((err: unknown) => exitOnStartupFailure(options.name, err));
}

async function startServiceApp(options: ServiceAppOptions): Promise<void> {
  const config = loadConfigOrExit(serviceConfigSchema);
  const logger = createLogger({ level: config.LOG_LEVEL, name: options.name });
  await dependencyStep(`connecting to PostgreSQL at ${safeUrl(config.DATABASE_URL)}`, () => pingDatabase(config.DATABASE_URL));
  const bus = await dependencyStep(`connecting to NATS at ${safeUrl(config.NATS_URL)}`, () =>
    NatsBus.connect({
      url: config.NATS_URL,
      namespace: config.NATS_NAMESPACE,
      name: options.name,
      log: logger.child({ component: 'bus' }),
    }),
  );

  @Module({
    imports: [
      PlatformModule.forRoot({ serviceName: options.name, config, logger }),
      InfrastructureModule.forRoot({ databaseUrl: config.DATABASE_URL, bus, ownsBus: true }),
      AuthModule.forRoot({
        deploymentIssuers: config.DISPATCH_TRUSTED_ISSUERS,
        platformOrg: config.DISPATCH_PLATFORM_ORG,
        refreshMs: config.AUTHZ_REFRESH_MS,
      }),
      options.feature,
    ],
  })
  class ServiceRootModule {}

  const app = await createHttpApp(ServiceRootModule, {
    config,
    logger,
    title: `Dispatch ${options.name}`,
    version: options.version,
    serviceName: options.name,
  });
  await app.listen({ port: config.PORT, host: config.HOST }).catch((err: unknown) => {
    throw listenFailure(err, { port: config.PORT, variable: 'PORT' }, config.HOST);
  });
  logger.info({ port: config.PORT, host: config.HOST }, `${options.name} listening`);
  onShutdownSignal(logger, () => app.close());
}
