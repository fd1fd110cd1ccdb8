import { TEST_NATS_URL, testNamespace, waitFor } from '@dispatch/testing';
import { connect, type NatsConnection, nanos } from 'nats';
import { RecordingBusLog } from '../test-support/recording-bus-log';
import { deleteNamespaceStreams } from '@dispatch/testing';
import { startPrivateNatsServer } from '../test-support/private-nats-server';
import { NatsBus } from './nats-bus';

// jest.config's per-project testTimeout does not reach the test runner; waitFor deadlines need more than the 5 s default.
jest.setTimeout(20_000);

/** Cluster-mode specifics the contract cannot see: streams and consumers on the server. */
describe('NatsBus setup', () => {
  const namespace = testNamespace('busnats');
  const log = new RecordingBusLog();
  let nc: NatsConnection;
  const open: NatsBus[] = [];

  const start = async (streams?: { name: string; subjects: string[] }[]) => {
    const bus = await NatsBus.connect({ url: TEST_NATS_URL, namespace, streams, log, closeGraceMs: 300 });
    open.push(bus);
    return bus;
  };

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
  });

  afterAll(async () => {
    await Promise.all(open.map((b) => b.close()));
    await nc?.close();
    await deleteNamespaceStreams(TEST_NATS_URL, namespace);
  });

  it('creates the default stream for the service roots, prefixed by the namespace', async () => {
    await start();
    const info = await (await nc.jetstreamManager()).streams.info(`${namespace}_DISPATCH`);
    expect([...info.config.subjects].sort()).toEqual(
      ['api', 'catalog', 'event', 'function', 'identity', 'image'].map((root) => `${namespace}.${root}.>`),
    );
  });

  it('adds an extra stream and updates it when its subjects change', async () => {
    await start([{ name: 'AUDIT', subjects: ['audit.login.>'] }]);
    const bus = await start([{ name: 'AUDIT', subjects: ['audit.>'] }]);
    const info = await (await nc.jetstreamManager()).streams.info(`${namespace}_AUDIT`);
    expect(info.config.subjects).toEqual([`${namespace}.audit.>`]);
    const got: string[] = [];
    await bus.raw.subscribe<{ who: string }>('audit.logout.v1', { group: 'audit' }, async (msg) => void got.push(msg.data.who));
    await bus.raw.publish('audit.logout.v1', { who: 'ann' });
    await waitFor(() => got.length === 1, { what: 'the audit message' });
    expect(got).toEqual(['ann']);
  });

  it('refuses streams that would capture requests or reply inboxes', async () => {
    await expect(NatsBus.connect({ url: TEST_NATS_URL, namespace, streams: [{ name: 'ALL', subjects: ['>'] }] })).rejects.toThrow(
      /may not capture/,
    );
    await expect(NatsBus.connect({ url: TEST_NATS_URL, namespace, streams: [{ name: 'RPC', subjects: ['rpc.x.>'] }] })).rejects.toThrow(
      /may not capture/,
    );
  });

  it('rejects subjects no stream captures', async () => {
    const bus = await start();
    await expect(bus.raw.publish('nowhere.thing.v1', {})).rejects.toThrow(/no bus stream captures/);
    await expect(bus.raw.subscribe('nowhere.>', { group: 'g' }, async () => undefined)).rejects.toThrow(/no bus stream captures/);
  });

  it('refreshes ack wait and max deliver of an existing durable without a new cursor', async () => {
    const bus = await start();
    const subject = 'event.setup.durable.v1';
    const first = await bus.raw.subscribe(subject, { group: 'tuned', ackWaitMs: 1_000, maxDeliver: 3 }, async () => undefined);
    await first.unsubscribe();
    await bus.raw.publish(subject, { n: 1 });
    const got: number[] = [];
    await bus.raw.subscribe<{ n: number }>(
      subject,
      { group: 'tuned', ackWaitMs: 2_000, maxDeliver: 5 },
      async (msg) => void got.push(msg.data.n),
    );
    await waitFor(() => got.length === 1, { what: 'the message kept by the durable' });
    const jsm = await nc.jetstreamManager();
    const consumers = [];
    for await (const c of jsm.consumers.list(`${namespace}_DISPATCH`)) consumers.push(c);
    const tuned = consumers.filter((c) => c.name.startsWith('tuned_'));
    expect(tuned).toHaveLength(1);
    expect([tuned[0].config.ack_wait, tuned[0].config.max_deliver]).toEqual([nanos(2_000), 5]);
  });

  it('answers ping only while JetStream answers too', async () => {
    await expect((await start()).ping()).resolves.toBeUndefined();

    // Losing JetStream must not touch the shared server: a server of this test's own goes through it.
    const server = await startPrivateNatsServer();
    const bus = await NatsBus.connect({ url: server.url, log, closeGraceMs: 300 });
    const core = await connect({ servers: server.url });
    try {
      await expect(bus.ping()).resolves.toBeUndefined();
      await server.disableJetStream();
      // Core NATS still answers: a round trip alone would report the bus ready.
      await expect(core.rtt()).resolves.toEqual(expect.any(Number));
      await expect(bus.ping()).rejects.toThrow(/JetStream did not answer within 3000 ms/);
    } finally {
      await core.close();
      await bus.close();
      await server.stop();
    }
  });
});
