import 'reflect-metadata';
import { DISPATCH_VERSION } from '@dispatch/contracts';
import { checkSecretsBackend, identityConfigFields, IdentityManagerModule } from '@dispatch/identity-manager';
import { loadConfigOrExit, runServiceApp, serviceConfigSchema } from '@dispatch/platform';

// All of this app's settings in one check, so a bad start lists every problem at once. Replicas
// must share one secret key, so cluster mode never generates one (solo keeps its own on disk).
const config = loadConfigOrExit(
  serviceConfigSchema
    .extend(identityConfigFields.shape)
    .transform(checkSecretsBackend)
    .superRefine((c, ctx) => {
      if (c.SECRETS_BACKEND === 'postgres' && !c.DISPATCH_SECRET_KEY) {
        ctx.addIssue({
          code: 'custom',
          path: ['DISPATCH_SECRET_KEY'],
          message: 'required in cluster mode with SECRETS_BACKEND=postgres: base64 of 32 random bytes, the same for every replica',
        });
      }
    }),
);

void runServiceApp({ name: 'identity-manager', version: DISPATCH_VERSION, feature: IdentityManagerModule.register(config) });
