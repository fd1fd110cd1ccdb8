import { type DynamicModule, Module } from '@nestjs/common';
import { StoreModule } from '@dispatch/platform';
import { IDENTITY_SCHEMA } from './persistence/schema';

/** identity-manager (DESIGN §3). Solo mode composes it with the other services; its app serves it alone. */
@Module({})
export class IdentityManagerModule {
  static register(): DynamicModule {
    return { module: IdentityManagerModule, imports: [StoreModule.forSchema(IDENTITY_SCHEMA)] };
  }
}
