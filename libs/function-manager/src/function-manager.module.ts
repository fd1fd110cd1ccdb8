import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Agent } from 'node:http';
import type { Logger } from 'pino';
import { OpenFaasClient } from '@dispatch/openfaas-client';
import { LOGGER, StoreModule } from '@dispatch/platform';
import { FunctionsController } from './api/functions.controller';
import { RunsController } from './api/runs.controller';
import { RunRequestedHandler } from './bus/run-requested.handler';
import { UsageHandler } from './bus/usage.handler';
import { Deployer } from './deploy/deployer';
import { FunctionsService, VERSION_QUEUE } from './domain/functions.service';
import { FUNCTION_CONFIG, type FunctionConfig } from './function-config';
import { FUNCTIONS_SCHEMA } from './persistence/schema';
import { FUNCTION_PROVIDER } from './provider/function-provider';
import { OpenFaasProvider } from './provider/openfaas-provider';
import { ConcurrencyLimiter } from './run/concurrency-limiter';
import { FunctionCatalog } from './run/function-catalog';
import { RunExecutor } from './run/run-executor';
import { RunFinisher } from './run/run-finisher';
import { RunJanitor } from './run/run-janitor';
import { QueuedRunsRepository } from './run/queued-runs.repository';
import { RunMetrics } from './run/run-metrics';
import { RunQueue } from './run/run-queue';
import { RunRecorder } from './run/run-recorder';
import { RunRepository } from './run/run.repository';
import { RunsService } from './run/runs.service';
import { RunnerLease } from './run/runner-lease';
import { ServiceBindingInjector } from './run/service-binding-injector';
import { UsageMeter } from './usage/usage-meter';

/**
 * function-manager (DESIGN §3): functions and their versions, runs, usage. It reaches
 * its provider only through the OpenFaaS gateway API (OPENFAAS_URL): OpenFaaS in cluster mode,
 * the embedded faas-local in solo mode. Solo mode composes it with the other services.
 */
@Module({})
export class FunctionManagerModule implements OnApplicationShutdown {
  constructor(@Inject(FUNCTION_PROVIDER) private readonly provider: OpenFaasProvider) {}

  /**
   * `openFaasAgent`: the HTTP agent the OpenFaaS client connects through, when the provider lives
   * in this process (solo mode hands one whose connections are in memory).
   */
  static register(config: FunctionConfig, options: { openFaasAgent?: Agent } = {}): DynamicModule {
    if (!config.OPENFAAS_URL) throw new Error('function-manager needs OPENFAAS_URL: the OpenFaaS gateway to run functions on');
    const url = config.OPENFAAS_URL;
    return {
      module: FunctionManagerModule,
      imports: [StoreModule.forSchema(FUNCTIONS_SCHEMA)],
      controllers: [FunctionsController, RunsController, RunRequestedHandler, UsageHandler],
      providers: [
        { provide: FUNCTION_CONFIG, useValue: config },
        {
          provide: FUNCTION_PROVIDER,
          inject: [LOGGER],
          useFactory: (logger: Logger) =>
            new OpenFaasProvider(
              new OpenFaasClient({
                baseUrl: url,
                ...(config.OPENFAAS_SOCKET ? { socketPath: config.OPENFAAS_SOCKET } : {}),
                ...(options.openFaasAgent ? { httpAgent: options.openFaasAgent } : {}),
                ...(config.OPENFAAS_USER && config.OPENFAAS_PASSWORD ? { basicAuth: { user: config.OPENFAAS_USER, password: config.OPENFAAS_PASSWORD } } : {}),
                logger,
              }),
            ),
        },
        Deployer,
        { provide: VERSION_QUEUE, useExisting: Deployer },
        FunctionsService,
        FunctionCatalog,
        RunExecutor,
        RunFinisher,
        RunRecorder,
        RunRepository,
        RunMetrics,
        RunsService,
        RunJanitor,
        RunnerLease,
        RunQueue,
        QueuedRunsRepository,
        ConcurrencyLimiter,
        ServiceBindingInjector,
        UsageMeter,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.provider.client.close();
  }
}
