import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { BUS, type Bus } from '@dispatch/bus';
import { createServiceDataSource, OutboxRelay, type ServiceSchema } from '@dispatch/persistence';
import type { Logger } from 'pino';
import { ReadinessChecks } from '../health/readiness';
import { DATABASE_URL } from '../infrastructure/infrastructure.module';
import { LOGGER } from '../tokens';

/** Injection token of a service's DataSource: `@Inject(dataSourceToken('identity'))`. */
export function dataSourceToken(schema: string): string {
  return `dispatch.datasource.${schema}`;
}

export function outboxRelayToken(schema: string): string {
  return `dispatch.outbox-relay.${schema}`;
}

/** Starts the relay once the app is up and closes relay then pool on shutdown, in that order. */
@Injectable()
class StoreLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
  ) {}
  onModuleInit(): void {
    this.relay.start();
  }
  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * A service's own PostgreSQL schema: its DataSource (migrations are run before the app starts,
 * never here), a readiness check, and the outbox relay that publishes its events.
 */
@Module({})
export class StoreModule {
  static forSchema(definition: ServiceSchema): DynamicModule {
    const dsToken = dataSourceToken(definition.schema);
    const relayToken = outboxRelayToken(definition.schema);
    const lifecycleToken = `dispatch.store-lifecycle.${definition.schema}`;
    return {
      module: StoreModule,
      providers: [
        {
          provide: dsToken,
          inject: [DATABASE_URL, ReadinessChecks, LOGGER],
          useFactory: async (url: string, readiness: ReadinessChecks, logger: Logger) => {
            const dataSource = createServiceDataSource({ url, ...definition, log: logger.child({ store: definition.schema }) });
            await dataSource.initialize();
            readiness.register(`store:${definition.schema}`, async () => {
              await dataSource.query('SELECT 1');
            });
            return dataSource;
          },
        },
        {
          provide: relayToken,
          inject: [dsToken, BUS, LOGGER],
          useFactory: (dataSource: DataSource, bus: Bus, logger: Logger) =>
            new OutboxRelay(dataSource, bus.raw, { log: logger.child({ outbox: definition.schema }) }),
        },
        {
          provide: lifecycleToken,
          inject: [dsToken, relayToken],
          useFactory: (dataSource: DataSource, relay: OutboxRelay) => new StoreLifecycle(dataSource, relay),
        },
      ],
      exports: [dsToken, relayToken],
    };
  }
}

/** Parameter decorator for a service's DataSource. */
export const InjectDataSource = (schema: string) => Inject(dataSourceToken(schema));

/** Parameter decorator for a service's outbox relay (to `notify()` it after a commit). */
export const InjectOutboxRelay = (schema: string) => Inject(outboxRelayToken(schema));
