import 'reflect-metadata';
import { z } from 'zod';
import { DISPATCH_VERSION } from '@dispatch/contracts';
import { identityConfigSchema, IdentityManagerModule } from '@dispatch/identity-manager';
import { loadConfigOrExit, runServiceApp, serviceConfigSchema } from '@dispatch/platform';

// All of this app's settings in one check, so a bad start lists every problem at once. Replicas
// must share one secret key, so cluster mode never generates one (solo keeps its own on disk).
const config = loadConfigOrExit(
  serviceConfigSchema.extend(identityConfigSchema.shape).extend({
    DISPATCH_SECRET_KEY: z.string({ error: 'required in cluster mode: base64 of 32 random bytes, the same for every replica' }).min(1),
  }),
);

void runServiceApp({ name: 'identity-manager', version: DISPATCH_VERSION, feature: IdentityManagerModule.register(config) });
