import type { BusMessage, MessageHandler } from './bus';
import { type BusLog, errorFields } from './bus-log';
import { REDELIVERY_FIRST_MS, REDELIVERY_MAX_MS } from './defaults';

/** What a transport does to settle one delivery. */
export interface Settler {
  ack(): Promise<void>;
  nak(delayMs: number): Promise<void>;
  /** Stops redelivery for good: the last allowed delivery failed. */
  term(): Promise<void>;
  /** Restarts the delivery's ack wait. */
  working(): Promise<void>;
}

/** How long a message whose handler threw waits before delivery `deliveryCount + 1`: a failing dependency is not hammered. */
export function redeliveryDelayMs(deliveryCount: number): number {
  return Math.min(REDELIVERY_MAX_MS, REDELIVERY_FIRST_MS * 2 ** Math.max(0, deliveryCount - 1));
}

export type DeliveredFields<T> = Omit<BusMessage<T>, 'ack' | 'nak' | 'working'>;

export interface DeliveryContext {
  group: string;
  maxDeliver: number;
  log: BusLog;
}

/**
 * One delivery handed to one handler, with the handler semantics both transports share:
 * return → ack, throw → nak (or give up on the last allowed delivery), and whichever settlement
 * happens first wins so a handler's own ack/nak turns the automatic one into a no-op.
 */
export class DeliveryRun<T> {
  private settled = false;
  readonly message: BusMessage<T>;

  constructor(
    fields: DeliveredFields<T>,
    private readonly settler: Settler,
  ) {
    this.message = {
      ...fields,
      ack: () => this.settle(() => settler.ack()),
      nak: (delayMs = 0) => this.settle(() => settler.nak(Math.max(0, delayMs))),
      working: async () => {
        if (!this.settled) await settler.working();
      },
    };
  }

  async run(handler: MessageHandler<T>, { group, maxDeliver, log }: DeliveryContext): Promise<void> {
    const { subject, deliveryCount, msgId } = this.message;
    const fields = { subject, group, deliveryCount, msgId };
    let failed = false;
    let failure: unknown;
    try {
      await handler(this.message);
    } catch (err) {
      failed = true;
      failure = err;
    }
    try {
      if (!failed) {
        await this.settle(() => this.settler.ack());
      } else if (this.settled) {
        log.warn({ ...fields, ...errorFields(failure) }, 'bus handler threw after settling its message');
      } else if (deliveryCount >= maxDeliver) {
        log.error({ ...fields, maxDeliver, ...errorFields(failure) }, 'bus message dead-lettered: its last allowed delivery failed');
        await this.settle(() => this.settler.term());
      } else {
        const delayMs = redeliveryDelayMs(deliveryCount);
        log.warn({ ...fields, delayMs, ...errorFields(failure) }, 'bus handler failed; the message will be redelivered');
        await this.settle(() => this.settler.nak(delayMs));
      }
    } catch (err) {
      log.warn({ ...fields, ...errorFields(err) }, 'could not settle a bus message; it comes back after its ack wait');
    }
  }

  private async settle(action: () => Promise<void>): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    await action();
  }
}
