import 'reflect-metadata';
import { DISPATCH_VERSION } from '@dispatch/contracts';
import { FunctionManagerModule } from '@dispatch/function-manager';
import { runServiceApp } from '@dispatch/platform';

void runServiceApp({ name: 'function-manager', version: DISPATCH_VERSION, feature: FunctionManagerModule.register() });
