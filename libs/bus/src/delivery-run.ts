import type { BusMessage, MessageHandler } from './bus';
import { type BusLog, errorFields } from './bus-log';
import { REDELIVERY_FIRST_MS, REDELIVERY_MAX_MS } from './defaults';
import { payloadProblem } from './payload-check';

/** What a transport does to settle one delivery. */
export interface Settler {
  ack(): Promise<void>;
  nak(delayMs: number): Promise<void>;
  /** Stops redelivery for good (dead-letters the delivery): the last allowed delivery failed, or the payload can never be handled. */
  term(reason: string): Promise<void>;
  /** Restarts the delivery's ack wait. */
  working(): Promise<void>;
}

/** How long a message whose handler threw waits before delivery `deliveryCount + 1`: a failing dependency is not hammered. */
export function redeliveryDelayMs(deliveryCount: number): number {
  return Math.min(REDELIVERY_MAX_MS, REDELIVERY_FIRST_MS * 2 ** Math.max(0, deliveryCount - 1));
}

export type DeliveredFields<T> = Omit<BusMessage<T>, 'ack' | 'nak' | 'working'>;

interface LogFields {
  subject: string;
  group: string;
  deliveryCount: number;
  msgId?: string;
}

export interface DeliveryContext {
  group: string;
  maxDeliver: number;
  log: BusLog;
}

/**
 * One delivery handed to one handler, with the handler semantics both transports share: a payload
 * that fails its subject's schema is dead-lettered without reaching the handler (redelivery cannot
 * make it valid); return → ack, throw → nak (or give up on the last allowed delivery), and
 * whichever settlement happens first wins so a handler's own ack/nak turns the automatic one into
 * a no-op.
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
    try {
      await this.handleAndSettle(handler, fields, maxDeliver, log);
    } catch (err) {
      log.warn({ ...fields, ...errorFields(err) }, 'could not settle a bus message; it comes back after its ack wait');
    }
  }

  /** Throws only when settling fails; the handler's own failure is a nak or a dead letter. */
  private async handleAndSettle(handler: MessageHandler<T>, fields: LogFields, maxDeliver: number, log: BusLog): Promise<void> {
    const problem = payloadProblem(fields.subject, this.message.data);
    if (problem !== undefined) {
      log.error({ ...fields, reason: problem }, 'bus message dead-lettered: its payload fails the schema of its subject');
      await this.settle(() => this.settler.term(`invalid payload: ${problem}`));
      return;
    }
    let failed = false;
    let failure: unknown;
    try {
      await handler(this.message);
    } catch (err) {
      failed = true;
      failure = err;
    }
    if (!failed) {
      await this.settle(() => this.settler.ack());
    } else if (this.settled) {
      log.warn({ ...fields, ...errorFields(failure) }, 'bus handler threw after settling its message');
    } else if (fields.deliveryCount >= maxDeliver) {
      log.error({ ...fields, maxDeliver, ...errorFields(failure) }, 'bus message dead-lettered: its last allowed delivery failed');
      await this.settle(() => this.settler.term('its last allowed delivery failed'));
    } else {
      const delayMs = redeliveryDelayMs(fields.deliveryCount);
      log.warn({ ...fields, delayMs, ...errorFields(failure) }, 'bus handler failed; the message will be redelivered');
      await this.settle(() => this.settler.nak(delayMs));
    }
  }

  private async settle(action: () => Promise<void>): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    await action();
  }
}
