import type { MessageHandler } from '../bus';
import { type BusLog, errorFields } from '../bus-log';
import { DeliveryRun } from '../delivery-run';
import { settleWithin } from '../in-flight';
import { WakeableSleep } from '../wake-sleep';
import type { ClaimedDelivery, DeliveryStore } from './delivery-store';

export interface PgMemberOptions<T> {
  store: DeliveryStore;
  consumer: string;
  filter: string;
  group: string;
  ackWaitMs: number;
  maxDeliver: number;
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
 * One subscription of a group: claims and handles one delivery at a time, so a single member
 * sees a subject's messages in publish order. Idle, it sleeps until woken by a publish in this
 * process, until the next row becomes visible (nak delay, ack timeout), or for the poll interval.
 */
export class PgMember<T> implements Member {
  private stopped = false;
  private readonly idle = new WakeableSleep();
  private loop: Promise<void> = Promise.resolve();

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

  /** Stops claiming and waits up to `graceMs` for the delivery in hand; past that it is abandoned and comes back after its ack wait. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    this.wake();
    await settleWithin([this.loop], graceMs);
  }

  private async run(): Promise<void> {
    const { store, consumer, ackWaitMs, maxDeliver, pollIntervalMs, log, group } = this.options;
    while (!this.stopped) {
      // This pass claims anyway: a wake-up from before it must not skip the sleep after it.
      this.idle.reset();
      try {
        const claimed = await store.claim(consumer, ackWaitMs, maxDeliver);
        if (claimed) {
          await this.deliver(claimed);
          continue;
        }
        const untilVisible = await store.msUntilNextVisible(consumer);
        await this.idle.sleep(Math.min(untilVisible ?? pollIntervalMs, pollIntervalMs));
      } catch (err) {
        if (this.stopped || !this.options.isOpen()) break;
        log.warn({ consumer, group, ...errorFields(err) }, 'bus consumer could not claim from the database; retrying');
        await this.idle.sleep(pollIntervalMs);
      }
    }
  }

  private async deliver(claimed: ClaimedDelivery): Promise<void> {
    const { store, consumer, group, maxDeliver, handler, log, isOpen } = this.options;
    const { seq, attempts, subject } = claimed;
    if (claimed.state === 'dead') {
      log.error({ subject, group, seq, deliveryCount: attempts, maxDeliver }, 'bus message dead-lettered: never acknowledged within its max deliveries');
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
        term: () => whileOpen(() => store.kill(consumer, seq, attempts)),
      },
    );
    await run.run(handler, { group, maxDeliver, log });
  }
}
