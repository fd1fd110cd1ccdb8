import { type DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { KongAdminClient } from '@dispatch/kong-client';
import { LOGGER, StoreModule } from '@dispatch/platform';
import { ApisController } from './api/api.controller';
import { ApisService } from './api/api.service';
import { FunctionReferences } from './api/function-references';
import { API_CONFIG, type ApiConfig, loadApiConfig } from './api-config';
import { ApiStore } from './persistence/api-store';
import { APIS_SCHEMA } from './persistence/schema';
import { GatewayReconciler, KONG_ADMIN } from './reconcile/gateway-reconciler';

/**
 * api-manager (DESIGN §3): APIs, and the Kong entities that serve them. Solo mode composes it with
 * the other services; its app serves it alone. Without KONG_ADMIN_URL it keeps APIs but drives no gateway.
 */
@Module({})
export class ApiManagerModule {
  /** `config`: its settings; read from the environment when not given. */
  static register(config: ApiConfig = loadApiConfig()): DynamicModule {
    return {
      module: ApiManagerModule,
      imports: [StoreModule.forSchema(APIS_SCHEMA)],
      controllers: [ApisController],
      providers: [
        { provide: API_CONFIG, useValue: config },
        {
          provide: KONG_ADMIN,
          inject: [LOGGER],
          useFactory: (logger: Logger) =>
            config.KONG_ADMIN_URL
              ? new KongAdminClient({
                  baseUrl: config.KONG_ADMIN_URL,
                  ...(config.KONG_ADMIN_TOKEN ? { adminToken: config.KONG_ADMIN_TOKEN } : {}),
                  ...(config.KONG_ADMIN_SOCKET ? { socketPath: config.KONG_ADMIN_SOCKET } : {}),
                  logger: logger.child({ component: 'kong-admin' }),
                })
              : null,
        },
        ApiStore,
        FunctionReferences,
        GatewayReconciler,
        ApisService,
      ],
    };
  }
}
