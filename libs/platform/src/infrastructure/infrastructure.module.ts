import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { BUS, type Bus } from '@dispatch/bus';
import { ReadinessChecks } from '../health/readiness';

export const DATABASE_URL = Symbol.for('dispatch.database-url');

export interface InfrastructureOptions {
  databaseUrl: string;
  bus: Bus;
  /** Whether closing the app closes the bus (false when the caller owns it, as tests often do). */
  ownsBus?: boolean;
}

/**
 * The two things every service module needs from its host: where the database is and the bus.
 * Solo mode passes the embedded database and the in-process bus; a service app passes
 * DATABASE_URL and a NATS connection. Service modules never know which.
 */
@Global()
@Module({})
export class InfrastructureModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject('dispatch.infrastructure-options') private readonly options: InfrastructureOptions,
    private readonly readiness: ReadinessChecks,
  ) {}

  static forRoot(options: InfrastructureOptions): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: BUS, useValue: options.bus },
        { provide: DATABASE_URL, useValue: options.databaseUrl },
        { provide: 'dispatch.infrastructure-options', useValue: options },
      ],
      exports: [BUS, DATABASE_URL],
    };
  }

  onModuleInit(): void {
    this.readiness.register('bus', () => this.bus.ping());
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.options.ownsBus) await this.bus.close();
  }
}
