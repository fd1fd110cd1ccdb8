import type { PublishOptions, RawBus } from '@dispatch/bus';
import { createTestDatabase, waitFor, type TestDatabase } from '@dispatch/testing';
import { Column, Entity, PrimaryGeneratedColumn, type DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createServiceDataSource } from '../data-source';
import { runMigrations } from '../migrate';
import { recordingLogger } from '../test-support/recording-logger';
import { OutboxRecord } from './outbox-record.entity';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay';
import { createOutboxTableMigration } from './outbox-table.migration';
import { OutboxWriter } from './outbox-writer';

const SCHEMA = 'demo';

@Entity({ name: 'widgets' })
class Widget {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'text' })
  name!: string;
}

class CreateWidgets1763000000001 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "${SCHEMA}"."widgets" ("id" SERIAL NOT NULL PRIMARY KEY, "name" text NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "${SCHEMA}"."widgets"`);
  }
}

interface Published {
  subject: string;
  data: unknown;
  msgId?: string;
  headers?: Record<string, string>;
  by: string;
}

/**
 * TEST DOUBLE, for the outbox relay's tests only: the publishing side of a bus, which records
 * publishes in memory and de-duplicates by msgId as the real buses do.
 */
class RecordingBus implements Pick<RawBus, 'publish'> {
  /** Every publish call that reached the bus, duplicates included. */
  readonly attempts: Published[] = [];
  /** What subscribers would see: one message per msgId. */
  readonly delivered: Published[] = [];
  /** Reject publishes without storing them. */
  failing = false;
  /** Store the next N messages, then reject anyway, as when the bus's ack is lost. */
  loseAcks = 0;
  /** Simulated network latency per publish. */
  delayMs = 0;

  constructor(
    readonly name = 'bus',
    readonly shared?: RecordingBus,
  ) {}

  async publish(subject: string, data: unknown, options: PublishOptions = {}): Promise<void> {
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const target = this.shared ?? this;
    const message: Published = { subject, data, msgId: options.msgId, headers: options.headers, by: this.name };
    target.attempts.push(message);
    if (this.failing) throw new Error('bus unavailable');
    if (!target.delivered.some((m) => m.msgId === options.msgId)) target.delivered.push(message);
    if (this.loseAcks > 0) {
      this.loseAcks--;
      throw new Error('publish ack timed out');
    }
  }
}

describe('outbox', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const writer = new OutboxWriter();
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('dispatch_outbox');
    ds = createServiceDataSource({
      url: db.url,
      schema: SCHEMA,
      entities: [OutboxRecord, Widget],
      migrations: [createOutboxTableMigration(SCHEMA, 1763000000000), CreateWidgets1763000000001],
      poolSize: 8,
    });
    await ds.initialize();
    await runMigrations([ds], { log: recordingLogger() });
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await ds.query(`TRUNCATE "${SCHEMA}"."outbox", "${SCHEMA}"."widgets"`);
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  function relay(bus: RecordingBus, options: Partial<OutboxRelayOptions> = {}): OutboxRelay {
    const r = new OutboxRelay(ds, bus, { log: recordingLogger(), pollIntervalMs: 50, ...options });
    relays.push(r);
    r.start();
    return r;
  }

  /** The fact a widget's creation announces: any subject of the map does for the relay. */
  const CREATED = 'identity.organization.created.v1';
  const created = (name: string) => ({ id: name, org: 'acme', name, status: 'READY', revision: 1 });

  async function createWidget(name: string): Promise<string> {
    return ds.transaction(async (manager) => {
      await manager.insert(Widget, { name });
      return writer.add(manager, CREATED, created(name), { 'x-widget': name });
    });
  }

  async function writeEvents(count: number): Promise<string[]> {
    return ds.transaction(async (manager) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) ids.push(await writer.add(manager, 'identity.authz.changed.v1', { revision: i }));
      return ids;
    });
  }

  async function unpublishedCount(): Promise<number> {
    const [row] = await ds.query(`SELECT count(*)::int AS n FROM "${SCHEMA}"."outbox" WHERE published_at IS NULL`);
    return row.n;
  }

  it('publishes events committed with their change, in commit order, with the row id as msgId', async () => {
    const bus = new RecordingBus();
    const r = relay(bus, { pollIntervalMs: 60_000 });
    const ids = [await createWidget('a'), await createWidget('b'), await createWidget('c')];
    r.notify();

    await waitFor(() => bus.delivered.length === 3, { what: 'three publishes' });
    expect(bus.delivered.map((m) => [m.subject, m.data, m.msgId, m.headers])).toEqual([
      [CREATED, created('a'), ids[0], { 'x-widget': 'a' }],
      [CREATED, created('b'), ids[1], { 'x-widget': 'b' }],
      [CREATED, created('c'), ids[2], { 'x-widget': 'c' }],
    ]);
    await waitFor(async () => (await unpublishedCount()) === 0, { what: 'rows marked published' });
  });

  it('publishes nothing for a transaction that rolled back', async () => {
    const bus = new RecordingBus();
    const r = relay(bus);
    await expect(
      ds.transaction(async (manager) => {
        await manager.insert(Widget, { name: 'ghost' });
        await writer.add(manager, CREATED, created('ghost'));
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    const kept = await createWidget('kept');
    r.notify();

    await waitFor(() => bus.delivered.length === 1, { what: 'the committed event' });
    expect(bus.attempts.map((m) => m.msgId)).toEqual([kept]);
    expect(await ds.getRepository(Widget).count()).toBe(1);
  });

  it('refuses to write outside a transaction', async () => {
    await expect(writer.add(ds.manager, CREATED, created('loose'))).rejects.toThrow(/open transaction/);
  });

  it('marks nothing while the bus fails, then delivers each event exactly once in order', async () => {
    const bus = new RecordingBus();
    bus.failing = true;
    const log = recordingLogger();
    relay(bus, { log, maxBackoffMs: 100 });
    const ids = await writeEvents(5);

    await waitFor(() => bus.attempts.length >= 3, { what: 'retries against the failing bus' });
    expect(await unpublishedCount()).toBe(5);
    // Each pass stops at the first failure instead of trying later rows out of order.
    expect(new Set(bus.attempts.map((m) => m.msgId))).toEqual(new Set([ids[0]]));
    expect(log.entries.some((e) => e.level === 'warn')).toBe(true);

    // Recovery with lost acks: the bus stores the first event twice yet reports failure both times,
    // so the relay publishes it again; the msgId keeps subscribers from seeing it more than once.
    bus.failing = false;
    bus.loseAcks = 2;
    await waitFor(async () => (await unpublishedCount()) === 0, { what: 'all rows published' });
    expect(bus.delivered.map((m) => m.msgId)).toEqual(ids);
    const republished = bus.attempts.filter((m) => m.msgId === ids[0]).length;
    expect(republished).toBeGreaterThan(1);
    expect(log.entries.some((e) => e.level === 'info' && /again/.test(e.msg ?? ''))).toBe(true);
  });

  it('never lets two parallel relays publish the same row (SKIP LOCKED)', async () => {
    const ids = await writeEvents(300);
    const all = new RecordingBus();
    const busA = new RecordingBus('a', all);
    const busB = new RecordingBus('b', all);
    busA.delayMs = busB.delayMs = 1;
    relay(busA, { batchSize: 10, strictOrder: false });
    relay(busB, { batchSize: 10, strictOrder: false });

    await waitFor(() => all.attempts.length >= 300, { what: 'all rows published', timeoutMs: 20_000 });
    await waitFor(async () => (await unpublishedCount()) === 0, { what: 'all rows marked' });
    expect(all.attempts).toHaveLength(300);
    expect(new Set(all.attempts.map((m) => m.msgId))).toEqual(new Set(ids));
    // Both relays took part: the test exercised concurrency, not one relay doing everything.
    expect(all.attempts.some((m) => m.by === 'a') && all.attempts.some((m) => m.by === 'b')).toBe(true);
  });

  it('keeps global commit order with several relays in the default strict mode', async () => {
    const ids = await writeEvents(200);
    const all = new RecordingBus();
    const buses = [new RecordingBus('a', all), new RecordingBus('b', all), new RecordingBus('c', all)];
    for (const bus of buses) relay(bus, { batchSize: 7 });

    await waitFor(async () => (await unpublishedCount()) === 0, { what: 'all rows published', timeoutMs: 20_000 });
    expect(all.attempts.map((m) => m.msgId)).toEqual(ids);
  });

  it('deletes published rows once past retention and keeps unpublished ones', async () => {
    const bus = new RecordingBus();
    const r = relay(bus, { retentionMs: 0, cleanupIntervalMs: 20 });
    await writeEvents(3);
    r.notify();
    await waitFor(async () => (await ds.getRepository(OutboxRecord).count()) === 0, { what: 'retention clean-up' });
    expect(bus.delivered).toHaveLength(3);

    bus.failing = true;
    await writeEvents(2);
    await waitFor(() => bus.attempts.length >= 5, { what: 'a failed attempt' });
    expect(await ds.getRepository(OutboxRecord).count()).toBe(2);
  });

  it('stops promptly, mid-sleep, and can be stopped twice', async () => {
    const r = relay(new RecordingBus(), { pollIntervalMs: 60_000 });
    // Let it finish a pass and fall asleep for the minute of its poll interval.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const t0 = Date.now();
    await r.stop();
    // Far below the poll interval: stop() cuts the sleep short instead of waiting it out.
    expect(Date.now() - t0).toBeLessThan(5000);
    await r.stop();
  });
});
