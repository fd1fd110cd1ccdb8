import { waitFor } from '@dispatch/testing';
import {
  type Bus,
  type BusMessage,
  BusRemoteError,
  BusTimeoutError,
  type MessageHandler,
  type SubscribeOptions,
  type Subscription,
} from '../bus';
import type { BusLog } from '../bus-log';
import { quietPeriod } from './quiet-period';
import { RecordingBusLog } from './recording-bus-log';

/** A bus under test plus what the contract needs to restart it on the same store. */
export interface BusHarness {
  /** The current instance; `restart()` replaces it. */
  readonly bus: Bus;
  /** Closes the current instance (idempotent) and starts a new one on the same server/database. */
  restart(): Promise<Bus>;
  teardown(): Promise<void>;
}

export type BusHarnessFactory = (context: { log: BusLog }) => Promise<BusHarness>;

/** A harness whose restart closes the bus, runs `reopen` (a new pool, say) and starts the bus again. */
export async function restartableHarness(
  start: () => Promise<Bus>,
  hooks: { reopen?: () => Promise<void>; teardown: () => Promise<void> },
): Promise<BusHarness> {
  let bus = await start();
  return {
    get bus() {
      return bus;
    },
    async restart() {
      await bus.close();
      await hooks.reopen?.();
      bus = await start();
      return bus;
    },
    async teardown() {
      await bus.close();
      await hooks.teardown();
    },
  };
}

interface Gate {
  wait: Promise<void>;
  open(): void;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * The behaviour every Bus implementation must show (DESIGN §5), run against each of them with
 * real servers. Every test uses subjects and groups of its own, so tests never see each other's
 * messages even though they share one bus.
 */
export function describeBusContract(name: string, factory: BusHarnessFactory): void {
  describe(`Bus contract: ${name}`, () => {
    const log = new RecordingBusLog();
    let harness: BusHarness;
    let subscriptions: Subscription[] = [];
    let gates: Gate[] = [];
    let counter = 0;

    const bus = () => harness.bus;
    // Subjects of these tests are their own, outside the contracts' map.
    const raw = () => harness.bus.raw;
    const unique = (label: string) => `${label}${++counter}`;
    const subjectFor = (label: string) => `event.contract.${unique(label)}.v1`;

    function gate(): Gate {
      let open!: () => void;
      const wait = new Promise<void>((resolve) => (open = resolve));
      const g = { wait, open };
      gates.push(g);
      return g;
    }

    async function subscribe<T>(subject: string, options: SubscribeOptions, handler: MessageHandler<T>): Promise<Subscription> {
      const subscription = await raw().subscribe<T>(subject, options, handler);
      subscriptions.push(subscription);
      return subscription;
    }

    beforeAll(async () => {
      harness = await factory({ log });
    });

    afterEach(async () => {
      for (const g of gates) g.open();
      await Promise.all(subscriptions.map((s) => s.unsubscribe()));
      gates = [];
      subscriptions = [];
    });

    afterAll(async () => {
      await harness?.teardown();
    });

    it('answers ping while open', async () => {
      await expect(bus().ping()).resolves.toBeUndefined();
    });

    it('delivers one subject to a single member in publish order', async () => {
      const subject = subjectFor('order');
      const got: BusMessage<{ n: number }>[] = [];
      await subscribe<{ n: number }>(subject, { group: unique('orders') }, async (msg) => {
        got.push(msg);
      });
      for (const n of range(50)) await raw().publish(subject, { n });
      await waitFor(() => got.length >= 50, { what: '50 messages' });
      expect(got.map((m) => m.data.n)).toEqual(range(50));
      expect(got.every((m) => m.deliveryCount === 1 && m.subject === subject)).toBe(true);
    });

    it('starts a new group with the messages published after its first subscribe', async () => {
      const subject = subjectFor('fresh');
      await raw().publish(subject, { v: 'before' });
      const got: string[] = [];
      await subscribe<{ v: string }>(subject, { group: unique('fresh') }, async (msg) => {
        got.push(msg.data.v);
      });
      await raw().publish(subject, { v: 'after' });
      await waitFor(() => got.includes('after'), { what: 'the message published after subscribing' });
      expect(got).toEqual(['after']);
    });

    it('passes headers and the concrete subject of a wildcard subscription', async () => {
      const root = `event.contract.${unique('wild')}`;
      const got: BusMessage[] = [];
      await subscribe(`${root}.>`, { group: unique('wild') }, async (msg) => {
        got.push(msg);
      });
      await raw().publish(`${root}.a.v1`, { x: 1 }, { headers: { 'x-trace': 't-1' } });
      await raw().publish(`${root}.b.v1`, null);
      await waitFor(() => got.length >= 2, { what: 'both messages' });
      expect(got.map((m) => [m.subject, m.data, m.headers])).toEqual([
        [`${root}.a.v1`, { x: 1 }, { 'x-trace': 't-1' }],
        [`${root}.b.v1`, null, {}],
      ]);
    });

    it('redelivers a message the handler naks, with the same content', async () => {
      const subject = subjectFor('nak');
      const got: BusMessage<{ id: string }>[] = [];
      await subscribe<{ id: string }>(subject, { group: unique('nak') }, async (msg) => {
        got.push(msg);
        // Returning after an explicit nak must not ack it.
        if (msg.deliveryCount === 1) await msg.nak();
      });
      await raw().publish(subject, { id: 'a' }, { msgId: unique('nak-msg'), headers: { 'x-trace': 'nak' } });
      await waitFor(() => got.length >= 2, { what: 'the redelivery' });
      const [first, second] = got;
      expect(first.deliveryCount).toBe(1);
      expect(second.deliveryCount).toBe(2);
      expect([second.subject, second.data, second.headers, second.msgId]).toEqual([first.subject, first.data, first.headers, first.msgId]);
      expect(second.msgId).toBeDefined();
    });

    it('redelivers a message whose handler throws', async () => {
      const subject = subjectFor('throw');
      const got: BusMessage<{ id: string }>[] = [];
      await subscribe<{ id: string }>(subject, { group: unique('throw') }, async (msg) => {
        got.push(msg);
        if (msg.deliveryCount === 1) throw new Error('transient');
      });
      await raw().publish(subject, { id: 'b' });
      await waitFor(() => got.length >= 2, { what: 'the redelivery' });
      expect(got.map((m) => [m.deliveryCount, m.data])).toEqual([
        [1, { id: 'b' }],
        [2, { id: 'b' }],
      ]);
    });

    it('waits longer before each redelivery of a message whose handler keeps throwing', async () => {
      const subject = subjectFor('backoff');
      const at: number[] = [];
      await subscribe(subject, { group: unique('backoff') }, async () => {
        at.push(Date.now());
        if (at.length < 3) throw new Error('still failing');
      });
      await raw().publish(subject, { id: 'e' });
      await waitFor(() => at.length >= 3, { what: 'two redeliveries' });
      // 200 ms, then 400 ms (less a little for the clocks of two processes on NATS).
      expect(at[1] - at[0]).toBeGreaterThanOrEqual(150);
      expect(at[2] - at[1]).toBeGreaterThanOrEqual(350);
    });

    it('handles up to `concurrency` messages of a subscription at once, and no more', async () => {
      const subject = subjectFor('concurrency');
      const hold = gate();
      let running = 0;
      let most = 0;
      const done: number[] = [];
      await subscribe<{ n: number }>(subject, { group: unique('concurrency'), concurrency: 4 }, async (msg) => {
        running++;
        most = Math.max(most, running);
        await hold.wait;
        running--;
        done.push(msg.data.n);
      });
      for (const n of range(10)) await raw().publish(subject, { n });
      await waitFor(() => running === 4, { what: 'four messages in hand' });
      // Room for no more: a fifth would show up in this time.
      await quietPeriod(300);
      expect(most).toBe(4);
      hold.open();
      await waitFor(() => done.length === 10, { what: 'all ten handled' });
      expect(done.sort((a, b) => a - b)).toEqual(range(10));
      expect(most).toBe(4);
    });

    it('keeps a message whose handler says it is still working past the ack wait', async () => {
      const subject = subjectFor('working');
      // Long enough that a stalled event loop on a busy machine does not outlast it between two calls.
      const ackWaitMs = 1500;
      const got: number[] = [];
      await subscribe(subject, { group: unique('working'), ackWaitMs, concurrency: 2 }, async (msg) => {
        got.push(msg.deliveryCount);
        if (msg.deliveryCount > 1) return;
        // Two ack waits long, telling the bus every fifth of one.
        for (let i = 0; i < 10; i++) {
          await quietPeriod(ackWaitMs / 5);
          await msg.working();
        }
      });
      await raw().publish(subject, { id: 'w' });
      await waitFor(() => got.length >= 1, { what: 'the delivery' });
      await quietPeriod(ackWaitMs * 2 + 300);
      expect(got).toEqual([1]);
    });

    it('redelivers a message that is not acked within the ack wait', async () => {
      const subject = subjectFor('ackwait');
      const group = unique('ackwait');
      const ackWaitMs = 400;
      const stuck = gate();
      const got: { at: number; msg: BusMessage<{ id: string }> }[] = [];
      const handler: MessageHandler<{ id: string }> = async (msg) => {
        got.push({ at: Date.now(), msg });
        if (msg.deliveryCount === 1) await stuck.wait;
      };
      // The first delivery hangs its member; the second member takes the redelivery.
      await subscribe(subject, { group, ackWaitMs }, handler);
      await subscribe(subject, { group, ackWaitMs }, handler);
      await raw().publish(subject, { id: 'c' });
      await waitFor(() => got.length >= 2, { what: 'the redelivery after the ack wait' });
      const [first, second] = got;
      expect([first.msg.deliveryCount, second.msg.deliveryCount]).toEqual([1, 2]);
      expect(second.msg.data).toEqual(first.msg.data);
      expect(second.at - first.at).toBeGreaterThanOrEqual(ackWaitMs - 50);
    });

    it('gives up after maxDeliver deliveries and logs it', async () => {
      const subject = subjectFor('maxdeliver');
      const counts: number[] = [];
      await subscribe(subject, { group: unique('maxdeliver'), maxDeliver: 3, ackWaitMs: 300 }, async (msg) => {
        counts.push(msg.deliveryCount);
        throw new Error('permanent');
      });
      await raw().publish(subject, { id: 'd' });
      await waitFor(() => counts.length >= 3, { what: 'three deliveries' });
      // Longer than the ack wait, so a redelivery by nak or by timeout would have shown up.
      await quietPeriod(700);
      expect(counts).toEqual([1, 2, 3]);
      expect(log.entries).toContainEqual(expect.objectContaining({ level: 'error', fields: expect.objectContaining({ subject }) }));
    });

    it('gives each message of a group to exactly one member', async () => {
      const subject = subjectFor('queue');
      const group = unique('queue');
      const handled: { member: string; n: number }[] = [];
      const member =
        (id: string): MessageHandler<{ n: number }> =>
        async (msg) => {
          handled.push({ member: id, n: msg.data.n });
          await quietPeriod(2);
        };
      await subscribe(subject, { group }, member('a'));
      await subscribe(subject, { group }, member('b'));
      for (const n of range(40)) await raw().publish(subject, { n });
      await waitFor(() => handled.length >= 40, { what: '40 handled messages' });
      // A duplicate would come from a second member taking the same message; give it time to show.
      await quietPeriod(300);
      expect(handled.map((h) => h.n).sort((x, y) => x - y)).toEqual(range(40));
    });

    it('gives every message to each of two groups', async () => {
      const subject = subjectFor('fanout');
      const byGroup: Record<string, number[]> = { left: [], right: [] };
      for (const side of Object.keys(byGroup)) {
        await subscribe<{ n: number }>(subject, { group: unique(side) }, async (msg) => {
          byGroup[side].push(msg.data.n);
        });
      }
      for (const n of range(10)) await raw().publish(subject, { n });
      await waitFor(() => byGroup['left'].length >= 10 && byGroup['right'].length >= 10, { what: 'both groups' });
      expect(byGroup).toEqual({ left: range(10), right: range(10) });
    });

    it('drops a second publish with the same msgId', async () => {
      const subject = subjectFor('dedupe');
      const got: string[] = [];
      await subscribe<{ v: string }>(subject, { group: unique('dedupe') }, async (msg) => {
        got.push(msg.data.v);
      });
      const msgId = unique('outbox-row');
      await raw().publish(subject, { v: 'first' }, { msgId });
      await raw().publish(subject, { v: 'again' }, { msgId });
      // One member sees the subject in order, so the sentinel arriving means any duplicate would have too.
      await raw().publish(subject, { v: 'sentinel' });
      await waitFor(() => got.includes('sentinel'), { what: 'the sentinel' });
      expect(got).toEqual(['first', 'sentinel']);
    });

    it('round-trips a request, once per request within a group', async () => {
      const subject = `identity.contract.${unique('echo')}.v1`;
      const group = unique('echo');
      const calls: string[] = [];
      for (const id of ['a', 'b']) {
        subscriptions.push(
          await raw().reply<{ n: number }, { n: number; by: string; trace?: string }>(subject, group, async (data, headers) => {
            calls.push(id);
            return { n: data.n * 2, by: id, trace: headers['x-trace'] };
          }),
        );
      }
      const answers = [];
      for (const n of range(10)) {
        answers.push(await raw().request<{ n: number; trace?: string }>(subject, { n }, { headers: { 'x-trace': `r${n}` } }));
      }
      expect(answers.map((a) => [a.n, a.trace])).toEqual(range(10).map((n) => [n * 2, `r${n}`]));
      expect(calls).toHaveLength(10);
    });

    it('rejects with BusTimeoutError when nobody answers in time', async () => {
      const timeoutMs = 300;
      const unanswered = `identity.contract.${unique('nobody')}.v1`;
      let started = Date.now();
      const none = await raw()
        .request(unanswered, {}, { timeoutMs })
        .catch((err: unknown) => err);
      expect(none).toBeInstanceOf(BusTimeoutError);
      expect(none).toMatchObject({ code: 'BUS_TIMEOUT', subject: unanswered, timeoutMs });
      expect(Date.now() - started).toBeLessThan(timeoutMs + 1_000);

      const slow = `identity.contract.${unique('slow')}.v1`;
      const never = gate();
      subscriptions.push(await raw().reply(slow, unique('slow'), () => never.wait));
      started = Date.now();
      const late = await raw()
        .request(slow, {}, { timeoutMs })
        .catch((err: unknown) => err);
      const elapsed = Date.now() - started;
      expect(late).toBeInstanceOf(BusTimeoutError);
      expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 20);
      expect(elapsed).toBeLessThan(timeoutMs + 1_000);
    });

    it('rejects with BusRemoteError carrying the code when the reply handler throws', async () => {
      const subject = `identity.contract.${unique('fails')}.v1`;
      subscriptions.push(
        await raw().reply<{ kind: string }, never>(subject, unique('fails'), async ({ kind }) => {
          if (kind === 'coded') throw Object.assign(new Error('organization acme exists'), { code: 'NAME_CONFLICT' });
          throw new Error('kaboom');
        }),
      );
      const coded = await raw()
        .request(subject, { kind: 'coded' })
        .catch((err: unknown) => err);
      expect(coded).toBeInstanceOf(BusRemoteError);
      expect(coded).toMatchObject({ subject, code: 'NAME_CONFLICT', message: 'organization acme exists' });
      const plain = await raw()
        .request(subject, { kind: 'plain' })
        .catch((err: unknown) => err);
      expect(plain).toBeInstanceOf(BusRemoteError);
      expect(plain).toMatchObject({ code: 'INTERNAL', message: 'kaboom' });
    });

    it("dead-letters, with the reason, an event whose payload fails its subject's schema, and hands it to no handler", async () => {
      const subject = 'function.run.requested.v1';
      const got: BusMessage<{ runId: string }>[] = [];
      await bus().subscribe(subject, { group: unique('schema') }, async (msg) => {
        got.push(msg);
      });
      const before = log.entries.length;
      await raw().publish(subject, { runId: 'invalid', org: 'acme' }, { msgId: unique('invalid') });
      await bus().publish(subject, { runId: 'valid', org: 'acme', functionName: 'hello' });
      await waitFor(() => got.length >= 1, { what: 'the valid message' });
      // One member sees the subject in order: the invalid message was settled before the valid one came.
      expect(got.map((m) => [m.data, m.deliveryCount])).toEqual([[{ runId: 'valid', org: 'acme', functionName: 'hello' }, 1]]);
      expect(log.entries.slice(before)).toContainEqual({
        level: 'error',
        message: expect.stringMatching(/dead-lettered.*schema/),
        fields: expect.objectContaining({ subject, deliveryCount: 1, reason: expect.stringMatching(/^functionName: /) }),
      });
    });

    it("answers a request whose payload fails its subject's schema with VALIDATION_FAILED, without calling the handler", async () => {
      const subject = 'identity.quota.get.v1';
      const asked: string[] = [];
      subscriptions.push(
        await bus().reply(subject, unique('schema'), async ({ org }) => {
          asked.push(org);
          return { maxFunctions: 1, maxConcurrentRuns: 2, maxEventsPerSecond: 3 };
        }),
      );
      const refused = await raw()
        .request(subject, { org: 42 })
        .catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(BusRemoteError);
      expect(refused).toMatchObject({
        subject,
        code: 'VALIDATION_FAILED',
        message: expect.stringMatching(/^invalid payload for identity\.quota\.get\.v1: org: /),
      });
      expect(asked).toEqual([]);
      await expect(bus().request(subject, { org: 'acme' })).resolves.toEqual({
        maxFunctions: 1,
        maxConcurrentRuns: 2,
        maxEventsPerSecond: 3,
      });
      expect(asked).toEqual(['acme']);
    });

    it('keeps messages published while no member is subscribed across a restart', async () => {
      const subject = subjectFor('backlog');
      const group = unique('backlog');
      // The first subscribe creates the durable; from then on it collects messages.
      const first = await raw().subscribe(subject, { group }, async () => undefined);
      await first.unsubscribe();
      for (const n of range(5)) await raw().publish(subject, { n });
      const old = bus();
      await harness.restart();
      await expect(old.raw.publish(subject, { n: 99 })).rejects.toThrow();
      const got: BusMessage<{ n: number }>[] = [];
      await subscribe<{ n: number }>(subject, { group }, async (msg) => {
        got.push(msg);
      });
      await waitFor(() => got.length >= 5, { what: 'the backlog after restart' });
      expect(got.map((m) => [m.data.n, m.deliveryCount])).toEqual(range(5).map((n) => [n, 1]));
    });

    it('redelivers after a restart a message that was in flight at close', async () => {
      const subject = subjectFor('inflight');
      const group = unique('inflight');
      const ackWaitMs = 500;
      const stuck = gate();
      const before: BusMessage<{ id: string }>[] = [];
      await subscribe<{ id: string }>(subject, { group, ackWaitMs }, async (msg) => {
        before.push(msg);
        await stuck.wait;
      });
      await raw().publish(subject, { id: 'e' });
      await waitFor(() => before.length >= 1, { what: 'the first delivery' });
      // close() gives up on the hung handler after its grace period; the message stays un-acked.
      await harness.restart();
      const after: BusMessage<{ id: string }>[] = [];
      await subscribe<{ id: string }>(subject, { group, ackWaitMs }, async (msg) => {
        after.push(msg);
      });
      await waitFor(() => after.length >= 1, { what: 'the redelivery after restart' });
      expect(after[0].data).toEqual({ id: 'e' });
      expect(after[0].deliveryCount).toBe(2);
    });
  });
}
