import { type DynamicModule, Module } from '@nestjs/common';
import { StoreModule } from '@dispatch/platform';
import { FUNCTIONS_SCHEMA } from './persistence/schema';

/** function-manager (DESIGN §3). Solo mode composes it with the other services; its app serves it alone. */
@Module({})
export class FunctionManagerModule {
  static register(): DynamicModule {
    return { module: FunctionManagerModule, imports: [StoreModule.forSchema(FUNCTIONS_SCHEMA)] };
  }
}
