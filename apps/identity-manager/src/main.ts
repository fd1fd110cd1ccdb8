import 'reflect-metadata';
import { DISPATCH_VERSION } from '@dispatch/contracts';
import { identityConfigSchema, IdentityManagerModule } from '@dispatch/identity-manager';
import { loadConfigOrExit, runServiceApp } from '@dispatch/platform';

void runServiceApp({
  name: 'identity-manager',
  version: DISPATCH_VERSION,
  feature: IdentityManagerModule.register(loadConfigOrExit(identityConfigSchema)),
});
