import { randomBytes } from 'node:crypto';
import { createServiceDataSource, migrateSchemas } from '@dispatch/persistence';
import { createLogger } from '@dispatch/platform';
import { createTestDatabase } from '@dispatch/testing';
import { IDENTITY_SCHEMA } from '../persistence/schema';
import { PostgresSecretStore } from './postgres-secret-store';
import { SecretCipher } from './secret-cipher';
import { SecretRepository } from './secret.repository';
import { describeSecretStoreContract } from './test-support/secret-store-contract';

// The behaviour every backend owes (the Kubernetes one: kubernetes/kubernetes-secret-store.int-spec.ts).
describeSecretStoreContract('PostgreSQL', async () => {
  const db = await createTestDatabase();
  const log = createLogger({ level: 'silent', name: 'secret-store-contract' });
  await migrateSchemas(db.url, [IDENTITY_SCHEMA], { log });
  const dataSource = createServiceDataSource({ url: db.url, ...IDENTITY_SCHEMA, poolSize: 2 });
  await dataSource.initialize();
  const key = randomBytes(32);
  const cipher = new SecretCipher({ current: { version: 1, key }, source: 'test', key: (v) => (v === 1 ? key : undefined) });
  return {
    store: new PostgresSecretStore(new SecretRepository(dataSource), cipher),
    async teardown() {
      await dataSource.destroy();
      await db.drop();
    },
  };
});
