import { type DynamicModule, Module } from '@nestjs/common';
import { StoreModule } from '@dispatch/platform';
import { IMAGES_SCHEMA } from './persistence/schema';

/** image-manager (DESIGN §3). Solo mode composes it with the other services; its app serves it alone. */
@Module({})
export class ImageManagerModule {
  static register(): DynamicModule {
    return { module: ImageManagerModule, imports: [StoreModule.forSchema(IMAGES_SCHEMA)] };
  }
}
