import { type DynamicModule, Module } from '@nestjs/common';
import { StoreModule } from '@dispatch/platform';
import { EVENTS_SCHEMA } from './persistence/schema';

/** event-manager (DESIGN §3). Solo mode composes it with the other services; its app serves it alone. */
@Module({})
export class EventManagerModule {
  static register(): DynamicModule {
    return { module: EventManagerModule, imports: [StoreModule.forSchema(EVENTS_SCHEMA)] };
  }
}
