import type { Provider, Type } from '@nestjs/common';
import { LOGGER } from '@dispatch/platform';
import type { Logger } from 'pino';
import { Secrets1795431106297 } from './migrations/1795431106297-secrets';
import { PostgresSecretStore } from './postgres-secret-store';
import { SecretCipher } from './secret-cipher';
import { SecretResolveHandler } from './secret-resolve.handler';
import { loadSecretKeyring, type SecretKeyring } from './secret-key';
import { Secret } from './secret.entity';
import { SECRET_STORE } from './secret-store';
import { SecretsController } from './secrets.controller';
import { SecretsService } from './secrets.service';
import { kubernetesSecretStoreFromEnv } from './kubernetes';

export { SECRET_STORE, type SecretStore, type SecretInput, type SecretSummary, type SecretWithValues } from './secret-store';
export { SecretsService } from './secrets.service';
export { SECRET_MAX_BYTES, SECRET_MAX_KEYS, SECRET_KEY_PATTERN } from './secret-schemas';
export { secretKeyConfigSchema } from './secret-key';
export { KubernetesSecretStore, kubernetesSecretsConfigSchema } from './kubernetes';

/** Injection token of the keys secrets are sealed with, loaded once at boot. */
export const SECRET_KEYRING = Symbol.for('dispatch.secret-keyring');

/** The secrets part of identity-manager: spread into the module and the identity schema. */
export const SECRETS_ENTITIES: Type<unknown>[] = [Secret];
export const SECRETS_MIGRATIONS: Type<unknown>[] = [Secrets1795431106297];
export const SECRETS_CONTROLLERS: Type<unknown>[] = [SecretsController, SecretResolveHandler];

/** The providers of the secrets part, for the backend chosen by SECRETS_BACKEND. */
export function secretsProviders(backend: 'postgres' | 'kubernetes'): Provider[] {
  const common: Provider[] = [SecretsService];
  if (backend === 'kubernetes') {
    return [
      ...common,
      {
        provide: SECRET_STORE,
        inject: [LOGGER],
        // The namespace and cluster come from the environment; a ConfigError at boot says what is missing.
        useFactory: (logger: Logger) => {
          const store = kubernetesSecretStoreFromEnv(process.env, { logger });
          logger.info({ namespace: store.namespace }, 'secrets kept as Kubernetes Secrets');
          return store;
        },
      },
    ];
  }
  return [...common, ...POSTGRES_SECRET_PROVIDERS];
}

const POSTGRES_SECRET_PROVIDERS: Provider[] = [
  {
    provide: SECRET_KEYRING,
    inject: [LOGGER],
    // At boot: a bad DISPATCH_SECRET_KEY or key file stops the app with a message saying what to fix.
    useFactory: async (logger: Logger): Promise<SecretKeyring> => {
      const keyring = await loadSecretKeyring(process.env);
      logger.info({ keySource: keyring.source, keyVersion: keyring.current.version }, 'secrets encryption key loaded');
      return keyring;
    },
  },
  { provide: SecretCipher, inject: [SECRET_KEYRING], useFactory: (keyring: SecretKeyring) => new SecretCipher(keyring) },
  PostgresSecretStore,
  { provide: SECRET_STORE, useExisting: PostgresSecretStore },
];
