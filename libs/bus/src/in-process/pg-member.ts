import type { MessageHandler } from '../bus';
import { type BusLog, errorFields } from '../bus-log';
import { DeliveryRun } from '../delivery-run';
import { settleWithin } from '../in-flight';
import { WakeableSleep } from '../wake-sleep';
import { type ClaimedDelivery, type DeliveryStore, NEVER_ACKED } from './delivery-store';

export interface PgMemberOptions<T> {
  store: DeliveryStore;
  consumer: string;
  filter: string;
  group: string;
  ackWaitMs: number;
  maxDeliver: number;
  /** Deliveries handled at once; 1 keeps publish order. */
  concurrency: number;
  handler: MessageHandler<T>;
  log: BusLog;
  /** Upper bound on any sleep: catches publishes made by another process on the same database. */
  pollIntervalMs: number;
  /** False once the bus is closed: a handler that outlived close() must not touch a pool its owner may have ended. */
  isOpen: () => boolean;
}

/** What the bus needs of a member, whatever its payload type. */
export interface Member {
  readonly filter: string;
  wake(): void;
  stop(graceMs: number): Promise<void>;
}

/**
 * One subscription of a group: claims deliveries while it has room for them (`concurrency` at a
 * time; with 1, a single member sees a subject's messages in publish order) and hands each to the
 * handler. Idle or full, it sleeps until woken by a publish in this process or a delivery it
 * finished, until the next row becomes visible (nak delay, ack timeout), or for the poll interval.
 */
export class PgMember<T> implements Member {
  private stopped = false;
  private readonly idle = new WakeableSleep();
  private loop: Promise<void> = Promise.resolve();
  private readonly inHand = new Set<Promise<void>>();

  constructor(private readonly options: PgMemberOptions<T>) {}

  get filter(): string {
    return this.options.filter;
  }

  start(): void {
    this.loop = this.run();
  }

  wake(): void {
    this.idle.wake();
  }

  /** Stops claiming and waits up to `graceMs` for the deliveries in hand; past that they are abandoned and come back after their ack wait. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    this.wake();
    await settleWithin([this.loop, ...this.inHand], graceMs);
  }

  private async run(): Promise<void> {
    const { store, consumer, ackWaitMs, maxDeliver, concurrency, pollIntervalMs, log, group } = this.options;
    while (!this.stopped) {
      // This pass claims anyway: a wake-up from before it must not skip the sleep after it.
      this.idle.reset();
      const room = concurrency - this.inHand.size;
      if (room <= 0) {
        // A finished delivery wakes the loop; the poll interval only bounds the wait.
        await this.idle.sleep(pollIntervalMs);
        continue;
      }
      try {
        const claimed = await store.claim(consumer, ackWaitMs, maxDeliver, room);
        for (const delivery of claimed) this.hold(delivery);
        if (claimed.length === room) continue;
        const untilVisible = await store.msUntilNextVisible(consumer);
        await this.idle.sleep(Math.min(untilVisible ?? pollIntervalMs, pollIntervalMs));
      } catch (err) {
        if (this.stopped || !this.options.isOpen()) break;
        log.warn({ consumer, group, ...errorFields(err) }, 'bus consumer could not claim from the database; retrying');
        await this.idle.sleep(pollIntervalMs);
      }
    }
  }

  /** Handles one claimed delivery beside the others in hand; its end makes room for the next claim. */
  private hold(claimed: ClaimedDelivery): void {
    const work: Promise<void> = this.deliver(claimed).finally(() => {
      this.inHand.delete(work);
      this.idle.wake();
    });
    this.inHand.add(work);
  }

  private async deliver(claimed: ClaimedDelivery): Promise<void> {
    const { store, consumer, group, ackWaitMs, maxDeliver, handler, log, isOpen } = this.options;
    const { seq, attempts, subject } = claimed;
    if (claimed.state === 'dead') {
      log.error({ subject, group, seq, deliveryCount: attempts, maxDeliver }, `bus message dead-lettered: ${NEVER_ACKED}`);
      return;
    }
    const whileOpen = async (settle: () => Promise<void>) => {
      if (isOpen()) await settle();
    };
    const run = new DeliveryRun<T>(
      {
        subject,
        data: claimed.payload as T,
        headers: claimed.headers,
        msgId: claimed.msgId ?? undefined,
        deliveryCount: attempts,
      },
      {
        ack: () => whileOpen(() => store.ack(consumer, seq, attempts)),
        nak: (delayMs) => whileOpen(() => store.nak(consumer, seq, attempts, delayMs)),
        term: (reason) => whileOpen(() => store.kill(consumer, seq, attempts, reason)),
        working: () => whileOpen(() => store.extend(consumer, seq, attempts, ackWaitMs)),
      },
    );
    await run.run(handler, { group, maxDeliver, log });
  }
}
