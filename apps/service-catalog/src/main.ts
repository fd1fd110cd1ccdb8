import 'reflect-metadata';
import { DISPATCH_VERSION } from '@dispatch/contracts';
import { ServiceCatalogModule } from '@dispatch/service-catalog';
import { runServiceApp } from '@dispatch/platform';

void runServiceApp({ name: 'service-catalog', version: DISPATCH_VERSION, feature: ServiceCatalogModule.register() });
