import type { DynamicModule } from '@nestjs/common';
import { ApiManagerModule, APIS_SCHEMA } from '@dispatch/api-manager';
import { EventManagerModule, EVENTS_SCHEMA } from '@dispatch/event-manager';
import { FunctionManagerModule, FUNCTIONS_SCHEMA } from '@dispatch/function-manager';
import { identityConfigSchema, IdentityManagerModule, IDENTITY_SCHEMA } from '@dispatch/identity-manager';
import { ImageManagerModule, IMAGES_SCHEMA } from '@dispatch/image-manager';
import { CATALOG_SCHEMA, ServiceCatalogModule } from '@dispatch/service-catalog';
import type { ServiceSchema } from '@dispatch/persistence';
import { loadConfigOrExit } from '@dispatch/platform';

/** Every service solo mode composes, with the schema each owns. */
export const SOLO_SERVICES: { module: () => DynamicModule; schema: ServiceSchema }[] = [
  { module: () => IdentityManagerModule.register(loadConfigOrExit(identityConfigSchema)), schema: IDENTITY_SCHEMA },
  { module: () => FunctionManagerModule.register(), schema: FUNCTIONS_SCHEMA },
  { module: () => ImageManagerModule.register(), schema: IMAGES_SCHEMA },
  { module: () => EventManagerModule.register(), schema: EVENTS_SCHEMA },
  { module: () => ApiManagerModule.register(), schema: APIS_SCHEMA },
  { module: () => ServiceCatalogModule.register(), schema: CATALOG_SCHEMA },
];
