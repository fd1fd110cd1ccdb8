import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Agent } from 'node:http';
import type { Logger } from 'pino';
import { OpenFaasClient } from '@dispatch/openfaas-client';
import { LOGGER, StoreModule } from '@dispatch/platform';
import { FunctionsController } from './function/function.controller';
import { FunctionExistsHandler } from './function/function.handlers';
import { FunctionsService } from './function/function.service';
import { FUNCTION_CONFIG, type FunctionConfig } from './function-config';
import { GatewayCaller } from './invoke/gateway-caller';
import { IdempotencyKeyRepository } from './invoke/idempotency-key.repository';
import { IdempotentRuns } from './invoke/idempotent-runs';
import { InvokeController } from './invoke/invoke.controller';
import { FunctionStore } from './persistence/function-store';
import { FUNCTIONS_SCHEMA } from './persistence/schema';
import { FUNCTION_PROVIDER } from './provider/function-provider';
import { OpenFaasProvider } from './provider/openfaas-provider';
import { Deployer } from './reconcile/deployer';
import { RunJanitor } from './reconcile/run-janitor';
import { RunQueue } from './reconcile/run-queue';
import { ConcurrencyLimiter } from './run/concurrency-limiter';
import { FunctionCatalog } from './run/function-catalog';
import { QueuedRunsRepository } from './run/queued-runs.repository';
import { RunRequestedHandler } from './run/run.handlers';
import { RunsController } from './run/run.controller';
import { RunRepository } from './run/run.repository';
import { RunsService } from './run/run.service';
import { RunExecutor } from './run/run-executor';
import { RunFinisher } from './run/run-finisher';
import { RunMetrics } from './run/run-metrics';
import { RunRecorder } from './run/run-recorder';
import { RunSweepRepository } from './run/run-sweep.repository';
import { RunnerLease } from './run/runner-lease';
import { RunnerRepository } from './run/runner.repository';
import { ServiceBindingInjector } from './run/service-binding-injector';
import { SecretReferences } from './function/secret-references';
import { UsageHandler } from './usage/usage.handlers';
import { UsageRepository } from './usage/usage.repository';
import { UsageMeter } from './usage/usage-meter';
import { VERSION_QUEUE } from './version/version-queue';

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
      controllers: [FunctionsController, RunsController, InvokeController, RunRequestedHandler, UsageHandler, FunctionExistsHandler],
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
                ...(config.OPENFAAS_USER && config.OPENFAAS_PASSWORD
                  ? { basicAuth: { user: config.OPENFAAS_USER, password: config.OPENFAAS_PASSWORD } }
                  : {}),
                logger,
              }),
            ),
        },
        FunctionStore,
        RunRepository,
        QueuedRunsRepository,
        RunSweepRepository,
        RunnerRepository,
        UsageRepository,
        Deployer,
        { provide: VERSION_QUEUE, useExisting: Deployer },
        FunctionsService,
        FunctionCatalog,
        RunExecutor,
        RunFinisher,
        RunRecorder,
        RunMetrics,
        RunsService,
        RunJanitor,
        RunnerLease,
        RunQueue,
        ConcurrencyLimiter,
        ServiceBindingInjector,
        SecretReferences,
        UsageMeter,
        GatewayCaller,
        IdempotencyKeyRepository,
        IdempotentRuns,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.provider.client.close();
  }
}
