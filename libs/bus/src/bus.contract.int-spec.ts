import { createTestDatabase, deleteNamespaceStreams, TEST_NATS_URL, testNamespace } from '@dispatch/testing';
import { Pool } from 'pg';
import { describeBusContract, restartableHarness } from './test-support/bus-contract';
import { InProcessBus } from './in-process/in-process-bus';
import { NatsBus } from './nats/nats-bus';
import { migrateBusSchema } from './test-support/migrate-bus-schema';

// jest.config's per-project testTimeout does not reach the test runner; waitFor deadlines need more than the 5 s default.
jest.setTimeout(20_000);

// Short, so restarting with a hung handler (the in-flight test) does not stall the suite.
const closeGraceMs = 300;

describeBusContract('NatsBus (JetStream)', async ({ log }) => {
  const namespace = testNamespace('bus');
  return restartableHarness(() => NatsBus.connect({ url: TEST_NATS_URL, namespace, name: 'bus-contract', closeGraceMs, log }), {
    teardown: () => deleteNamespaceStreams(TEST_NATS_URL, namespace),
  });
});

describeBusContract('InProcessBus (PostgreSQL)', async ({ log }) => {
  const db = await createTestDatabase('bus_contract');
  await (await migrateBusSchema(db.url)).destroy();
  const newPool = () => new Pool({ connectionString: db.url, max: 8 });
  let pool = newPool();
  return restartableHarness(() => InProcessBus.start({ pool, closeGraceMs, log }), {
    async reopen() {
      await pool.end();
      pool = newPool();
    },
    async teardown() {
      await pool.end();
      await db.drop();
    },
  });
});
