import 'reflect-metadata';
import { DISPATCH_VERSION } from '@dispatch/contracts';
import { ImageManagerModule } from '@dispatch/image-manager';
import { runServiceApp } from '@dispatch/platform';

void runServiceApp({ name: 'image-manager', version: DISPATCH_VERSION, feature: ImageManagerModule.register() });
