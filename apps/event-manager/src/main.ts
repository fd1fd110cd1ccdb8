import 'reflect-metadata';
import { DISPATCH_VERSION } from '@dispatch/contracts';
import { EventManagerModule } from '@dispatch/event-manager';
import { runServiceApp } from '@dispatch/platform';

void runServiceApp({ name: 'event-manager', version: DISPATCH_VERSION, feature: EventManagerModule.register() });
