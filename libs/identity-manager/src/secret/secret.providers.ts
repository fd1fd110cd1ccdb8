import type { Provider } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '@dispatch/platform';
import type { IdentityConfig } from '../identity-config';
import { kubernetesSecretStoreOf } from './kubernetes';
import { PostgresSecretStore } from './postgres-secret-store';
import { SecretCipher } from './secret-cipher';
import { loadSecretKeyring, type SecretKeyring } from './secret-key';
import { SECRET_STORE } from './secret-store';
import { SecretRepository } from './secret.repository';
import { SecretsService } from './secret.service';

/** Injection token of the keys secrets are sealed with, loaded once at boot. */
export const SECRET_KEYRING = Symbol.for('dispatch.secret-keyring');

/** The providers of secrets, for the backend the (already checked) configuration chose. */
export function secretsProviders(config: IdentityConfig): Provider[] {
  const common: Provider[] = [SecretsService];
  if (config.SECRETS_BACKEND === 'kubernetes') {
    return [
      ...common,
      {
        provide: SECRET_STORE,
        inject: [LOGGER],
        // The cluster comes from KUBECONFIG or the pod; a ConfigError at boot says what is missing.
        useFactory: (logger: Logger) => {
          const store = kubernetesSecretStoreOf(config, { logger });
          logger.info({ namespace: store.namespace }, 'secrets kept as Kubernetes Secrets');
          return store;
        },
      },
    ];
  }
  return [
    ...common,
    {
      provide: SECRET_KEYRING,
      inject: [LOGGER],
      // At boot: an unreadable or damaged key file stops the app with a message saying what to fix.
      useFactory: async (logger: Logger): Promise<SecretKeyring> => {
        const keyring = await loadSecretKeyring(config);
        logger.info({ keySource: keyring.source, keyVersion: keyring.current.version }, 'secrets encryption key loaded');
        return keyring;
      },
    },
    { provide: SecretCipher, inject: [SECRET_KEYRING], useFactory: (keyring: SecretKeyring) => new SecretCipher(keyring) },
    SecretRepository,
    PostgresSecretStore,
    { provide: SECRET_STORE, useExisting: PostgresSecretStore },
  ];
}
