import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { BaseConfig } from './config/config';
import { HealthController } from './health/health.controller';
import { ReadinessChecks } from './health/readiness';
import { Metrics } from './metrics/metrics';
import { MetricsController } from './metrics/metrics.controller';

export { LOGGER, PLATFORM_CONFIG } from './tokens';
import { LOGGER, PLATFORM_CONFIG } from './tokens';

export interface PlatformOptions {
  serviceName: string;
  config: BaseConfig;
  logger: Logger;
}

/** Health, readiness, metrics, the logger and the validated config, for every app. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      controllers: [HealthController, MetricsController],
      providers: [
        ReadinessChecks,
        { provide: Metrics, useValue: new Metrics(options.serviceName) },
        { provide: LOGGER, useValue: options.logger },
        { provide: PLATFORM_CONFIG, useValue: options.config },
      ],
      exports: [ReadinessChecks, Metrics, LOGGER, PLATFORM_CONFIG],
    };
  }
}
