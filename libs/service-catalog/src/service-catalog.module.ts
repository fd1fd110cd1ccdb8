import { type DynamicModule, Module } from '@nestjs/common';
import { StoreModule } from '@dispatch/platform';
import { CATALOG_SCHEMA } from './persistence/schema';

/** service-catalog (DESIGN §3). Solo mode composes it with the other services; its app serves it alone. */
@Module({})
export class ServiceCatalogModule {
  static register(): DynamicModule {
    return { module: ServiceCatalogModule, imports: [StoreModule.forSchema(CATALOG_SCHEMA)] };
  }
}
