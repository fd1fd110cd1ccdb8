import type { Agent } from 'node:http';
import type { DynamicModule } from '@nestjs/common';
import { type FunctionConfig, FunctionManagerModule, FUNCTIONS_SCHEMA } from '@dispatch/function-manager';
import { type IdentityConfig, IdentityManagerModule, IDENTITY_SCHEMA } from '@dispatch/identity-manager';
import type { ServiceSchema } from '@dispatch/persistence';
import { ImageManagerModule, IMAGES_SCHEMA } from '@dispatch/image-manager';
import { EventManagerModule, EVENTS_SCHEMA } from '@dispatch/event-manager';
import { type ApiConfig, ApiManagerModule, APIS_SCHEMA } from '@dispatch/api-manager';
import { ServiceCatalogModule, CATALOG_SCHEMA } from '@dispatch/service-catalog';

/** What solo mode started for the services: the embedded providers they are wired to. */
export interface SoloWiring {
  functions: FunctionConfig;
  /** identity-manager's settings, checked before anything started. */
  identity: IdentityConfig;
  /** Connections to the in-process faas-local. */
  openFaasAgent: Agent;
  /** api-manager's settings, pointed at the embedded gateway. */
  apis: ApiConfig;
}

/** Every service solo mode composes, with the schema each owns. */
export const SOLO_SERVICES: { module: (wiring: SoloWiring) => DynamicModule; schema: ServiceSchema }[] = [
  { module: (wiring) => IdentityManagerModule.register(wiring.identity), schema: IDENTITY_SCHEMA },
  {
    module: (wiring) => FunctionManagerModule.register(wiring.functions, { openFaasAgent: wiring.openFaasAgent }),
    schema: FUNCTIONS_SCHEMA,
  },
  { module: () => ImageManagerModule.register(), schema: IMAGES_SCHEMA },
  { module: () => EventManagerModule.register(), schema: EVENTS_SCHEMA },
  { module: (wiring) => ApiManagerModule.register(wiring.apis), schema: APIS_SCHEMA },
  { module: () => ServiceCatalogModule.register(), schema: CATALOG_SCHEMA },
];
