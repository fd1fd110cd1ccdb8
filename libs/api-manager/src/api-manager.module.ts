import { type DynamicModule, Module } from '@nestjs/common';
import { StoreModule } from '@dispatch/platform';
import { APIS_SCHEMA } from './persistence/schema';

/** api-manager (DESIGN §3). Solo mode composes it with the other services; its app serves it alone. */
@Module({})
export class ApiManagerModule {
  static register(): DynamicModule {
    return { module: ApiManagerModule, imports: [StoreModule.forSchema(APIS_SCHEMA)] };
  }
}
