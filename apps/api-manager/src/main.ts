import 'reflect-metadata';
import { DISPATCH_VERSION } from '@dispatch/contracts';
import { ApiManagerModule } from '@dispatch/api-manager';
import { runServiceApp } from '@dispatch/platform';

void runServiceApp({ name: 'api-manager', version: DISPATCH_VERSION, feature: ApiManagerModule.register() });
