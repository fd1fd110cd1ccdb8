import { createTestDatabase, type TestDatabase, waitFor } from '@dispatch/testing';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { BusMessage } from '../bus';
import { RecordingBusLog } from '../test-support/recording-bus-log';
import { migrateBusSchema } from '../test-support/migrate-bus-schema';
import { quietPeriod } from '../test-support/quiet-period';
import { InProcessBus } from './in-process-bus';
import { busMigrations } from './migration';

// jest.config's per-project testTimeout does not reach the test runner; waitFor deadlines need more than the 5 s default.
jest.setTimeout(20_000);

/** Solo-mode specifics the contract cannot see: what the tables hold. */
describe('InProcessBus storage', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let pool: Pool;
  let bus: InProcessBus;
  const log = new RecordingBusLog();

  beforeAll(async () => {
    db = await createTestDatabase('bus_in_process');
    dataSource = await migrateBusSchema(db.url);
    pool = new Pool({ connectionString: db.url, max: 6 });
    bus = await InProcessBus.start({ pool, log, closeGraceMs: 5_000 });
  });

  afterAll(async () => {
    await bus?.close();
    await pool?.end();
    await dataSource?.destroy();
    await db?.drop();
  });

  const deliveries = async (group: string) =>
    (
      await pool.query<{ state: string; attempts: number }>(
        `SELECT state, attempts FROM bus.delivery WHERE consumer LIKE $1 ORDER BY seq`,
        [`${group}\\_%`],
      )
    ).rows;

  const deadReasons = async (group: string) =>
    (
      await pool.query<{ reason: string }>(`SELECT reason FROM bus.delivery WHERE consumer LIKE $1 AND state = 'dead' ORDER BY seq`, [
        `${group}\\_%`,
      ])
    ).rows.map((r) => r.reason);

  it('refuses to start before the migrations ran', async () => {
    const empty = await createTestDatabase('bus_unmigrated');
    const emptyPool = new Pool({ connectionString: empty.url });
    try {
      await expect(InProcessBus.start({ pool: emptyPool })).rejects.toThrow(/run busMigrations/);
    } finally {
      await emptyPool.end();
      await empty.drop();
    }
  });

  it('stores the message once and a delivery per matching consumer, and deletes a delivery on ack', async () => {
    const subject = 'event.fanout.one.v1';
    const seen: string[] = [];
    const a = await bus.raw.subscribe(subject, { group: 'a' }, async () => void seen.push('a'));
    const b = await bus.raw.subscribe('event.fanout.*.v1', { group: 'b' }, async () => void seen.push('b'));
    await bus.raw.publish('event.fanout.two.v1', {});
    await bus.raw.publish(subject, { n: 1 });
    await waitFor(() => seen.length >= 3, { what: 'deliveries' });
    await a.unsubscribe();
    await b.unsubscribe();
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM bus.message WHERE subject = $1`, [subject]);
    expect(rows[0].n).toBe(1);
    expect([...(await deliveries('a')), ...(await deliveries('b'))]).toEqual([]);
  });

  it('lets an idle consumer sleep instead of polling the database in a loop', async () => {
    const queries = jest.spyOn(pool, 'query');
    try {
      const sub = await bus.raw.subscribe('bus.idle.check.v1', { group: 'idle-probe' }, async () => undefined);
      const since = Date.now();
      const counted = queries.mock.calls.length;
      // An idle member asks twice per wake-up (claim, then when the next row is due) and wakes at
      // most every poll interval (default 1 s); a spinning one would make these in a few ms.
      await waitFor(() => queries.mock.calls.length - counted >= 6, { what: 'three idle wake-ups' });
      const elapsed = Date.now() - since;
      await sub.unsubscribe();
      expect(elapsed).toBeGreaterThanOrEqual(1_500);
    } finally {
      queries.mockRestore();
    }
  });

  it("keeps a payload that fails its subject's schema as a dead row, unhandled, after one delivery", async () => {
    const handled: unknown[] = [];
    const sub = await bus.subscribe('function.run.requested.v1', { group: 'invalid' }, async (msg) => void handled.push(msg.data));
    await bus.raw.publish('function.run.requested.v1', { runId: 'r1' });
    await waitFor(async () => (await deliveries('invalid'))[0]?.state === 'dead', { what: 'the dead row' });
    await sub.unsubscribe();
    expect(handled).toEqual([]);
    expect(await deliveries('invalid')).toEqual([{ state: 'dead', attempts: 1 }]);
    expect(await deadReasons('invalid')).toEqual([expect.stringMatching(/^invalid payload: .*org/)]);
    expect(log.entries).toContainEqual(
      expect.objectContaining({
        level: 'error',
        fields: expect.objectContaining({ subject: 'function.run.requested.v1', reason: expect.stringContaining('org') }),
      }),
    );
  });

  it('keeps a dead-lettered delivery as a dead row', async () => {
    const subject = 'event.storage.dead.v1';
    const counts: number[] = [];
    const sub = await bus.raw.subscribe(subject, { group: 'dead', maxDeliver: 2 }, async (msg) => {
      counts.push(msg.deliveryCount);
      throw new Error('never works');
    });
    await bus.raw.publish(subject, { n: 1 });
    await waitFor(async () => (await deliveries('dead'))[0]?.state === 'dead', { what: 'the dead row' });
    await sub.unsubscribe();
    expect(counts).toEqual([1, 2]);
    expect(await deliveries('dead')).toEqual([{ state: 'dead', attempts: 2 }]);
    expect(await deadReasons('dead')).toEqual(['its last allowed delivery failed']);
  });

  it('ignores a late ack of a delivery that timed out and was taken over', async () => {
    const subject = 'event.storage.late.v1';
    let release!: () => void;
    const stuck = new Promise<void>((r) => (release = r));
    const got: BusMessage[] = [];
    const handler = async (msg: BusMessage) => {
      got.push(msg);
      if (msg.deliveryCount === 1) await stuck;
      // The redelivery is put back for later, so the row is still there when the late ack comes.
      else await msg.nak(60_000);
    };
    const first = await bus.raw.subscribe(subject, { group: 'late', ackWaitMs: 300 }, handler);
    const second = await bus.raw.subscribe(subject, { group: 'late', ackWaitMs: 300 }, handler);
    await bus.raw.publish(subject, { n: 1 });
    await waitFor(() => got.length >= 2, { what: 'the redelivery' });
    await waitFor(async () => (await deliveries('late'))[0]?.state === 'pending', { what: 'the nak' });
    release();
    // Both members finish their handlers (and settlements) before unsubscribe resolves.
    await first.unsubscribe();
    await second.unsubscribe();
    expect(await deliveries('late')).toEqual([{ state: 'pending', attempts: 2 }]);
  });

  it('can be rolled back and re-applied', async () => {
    for (const _ of busMigrations) await dataSource.undoLastMigration();
    const gone = await pool.query(`SELECT to_regclass('bus.delivery') IS NULL AS gone`);
    expect(gone.rows[0].gone).toBe(true);
    await dataSource.runMigrations();
    const back = await pool.query(`SELECT to_regclass('bus.delivery') IS NOT NULL AS back`);
    expect(back.rows[0].back).toBe(true);
  });

  describe('retention', () => {
    it('deletes delivered messages and, later, dead deliveries; keeps what is still owed; stops on close', async () => {
      // A database of its own: a sweep with these short retentions would empty the other tests' tables.
      const own = await createTestDatabase('bus_retention');
      const ownSchema = await migrateBusSchema(own.url);
      const ownPool = new Pool({ connectionString: own.url, max: 4 });
      const sweepLog = new RecordingBusLog();
      const retentionMs = 300;
      const deadRetentionMs = 2_500;
      const sweeping = await InProcessBus.start({
        pool: ownPool,
        log: sweepLog,
        closeGraceMs: 1_000,
        retentionMs,
        deadRetentionMs,
        sweepIntervalMs: 100,
      });
      const messages = async () =>
        (await ownPool.query<{ subject: string }>('SELECT subject FROM bus.message ORDER BY seq')).rows.map((r) => r.subject);
      const states = async () =>
        (
          await ownPool.query<{ state: string; subject: string }>(
            'SELECT d.state, m.subject FROM bus.delivery d JOIN bus.message m USING (seq) ORDER BY seq',
          )
        ).rows;
      try {
        // A durable without members: its delivery stays pending, however old the message gets.
        await (await sweeping.raw.subscribe('event.kept.owed.v1', { group: 'idle' }, async () => undefined)).unsubscribe();
        const delivered: string[] = [];
        const subs = [
          await sweeping.raw.subscribe('event.kept.done.v1', { group: 'acks' }, async (msg) => void delivered.push(msg.subject)),
          await sweeping.raw.subscribe('event.kept.dead.v1', { group: 'dead', maxDeliver: 1 }, async () => {
            throw new Error('never works');
          }),
        ];
        await sweeping.raw.publish('event.kept.done.v1', {});
        await sweeping.raw.publish('event.kept.nobody.v1', {});
        await sweeping.raw.publish('event.kept.owed.v1', {});
        await sweeping.raw.publish('event.kept.dead.v1', {});
        await waitFor(async () => delivered.length === 1 && (await states()).some((d) => d.state === 'dead'), {
          what: 'the ack and the dead letter',
        });
        const publishedAt = Date.now();

        await waitFor(async () => (await messages()).length === 2, { what: 'the delivered and the unrouted message to go' });
        expect(await messages()).toEqual(['event.kept.owed.v1', 'event.kept.dead.v1']);
        expect(await states()).toEqual([
          { state: 'pending', subject: 'event.kept.owed.v1' },
          { state: 'dead', subject: 'event.kept.dead.v1' },
        ]);
        expect(Date.now() - publishedAt).toBeLessThan(deadRetentionMs);

        await waitFor(async () => (await messages()).length === 1, { what: 'the dead letter to go', timeoutMs: 15_000 });
        expect(await messages()).toEqual(['event.kept.owed.v1']);
        expect(await states()).toEqual([{ state: 'pending', subject: 'event.kept.owed.v1' }]);
        await Promise.all(subs.map((sub) => sub.unsubscribe()));
      } finally {
        await sweeping.close();
        await ownPool.end();
      }
      // Had a sweep run after close(), it would have hit the ended pool and logged the failure.
      await quietPeriod(400);
      expect(sweepLog.entries.filter((e) => /sweep/.test(e.message))).toEqual([]);
      await ownSchema.destroy();
      await own.drop();
    });

    it('refuses retention settings that are not positive', async () => {
      await expect(InProcessBus.start({ pool, retentionMs: 0 })).rejects.toThrow(/retentionMs must be a positive number/);
      await expect(InProcessBus.start({ pool, sweepIntervalMs: -1 })).rejects.toThrow(/sweepIntervalMs must be a positive number/);
    });
  });
});
