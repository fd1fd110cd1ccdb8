import type { Consumer, ConsumerMessages, JsMsg } from 'nats';
import { type BusLog, errorFields } from '../bus-log';
import { settleWithin } from '../in-flight';
import { WakeableSleep } from '../wake-sleep';

/** How long one pull waits at the server for messages; an idle member re-pulls this often. */
const PULL_EXPIRES_MS = 5_000;
const RETRY_MS = 1_000;

/**
 * One subscription of a group on a durable pull consumer. It asks only for as many messages as it
 * has room for (`concurrency`, and with 1 only after the previous one is handled), so a member
 * never holds messages it is not working on: a busy or stuck member leaves the rest (and any
 * redelivery) to the other members, a message's ack wait starts when its handler starts, and with
 * a concurrency of 1 one member sees a subject in order.
 */
export class PullMember {
  private stopped = false;
  private pull?: ConsumerMessages;
  private readonly pause = new WakeableSleep();
  private readonly inHand = new Set<Promise<void>>();
  private readonly loop: Promise<void>;

  constructor(
    private readonly consumer: Consumer,
    private readonly handle: (msg: JsMsg) => Promise<void>,
    private readonly log: BusLog,
    private readonly context: { group: string; subject: string },
    private readonly concurrency = 1,
  ) {
    this.loop = this.run();
  }

  /** Stops pulling and waits up to `graceMs` for the messages in hand; past that they are abandoned to their ack wait. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    this.pull?.stop();
    this.pause.wake();
    await settleWithin([this.loop, ...this.inHand], graceMs);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const room = this.concurrency - this.inHand.size;
      if (room <= 0) {
        // A finished message wakes the loop.
        this.pause.reset();
        if (this.inHand.size >= this.concurrency) await this.pause.sleep(RETRY_MS);
        continue;
      }
      try {
        await this.pullInto(room);
      } catch (err) {
        if (this.stopped) break;
        this.log.warn({ ...this.context, ...errorFields(err) }, 'bus consumer pull failed; retrying');
        await this.pause.sleep(RETRY_MS);
      }
    }
  }

  /** One pull of up to `room` messages, each handed to the handler as it arrives. */
  private async pullInto(room: number): Promise<void> {
    const pull = await this.consumer.fetch({ max_messages: room, expires: PULL_EXPIRES_MS });
    this.pull = pull;
    let received = 0;
    try {
      if (this.stopped) pull.stop();
      for await (const msg of pull) {
        if (this.stopped) {
          // Arrived while stopping: hand it straight back instead of letting it wait out its ack wait.
          try {
            msg.nak();
          } catch {
            // The connection is gone already; the ack wait brings the message back.
          }
          continue;
        }
        this.hold(msg);
        // Ends the pull once it has brought what there is room for: left open, its heartbeat
        // monitor would re-pull while the handlers run.
        if (++received >= room) pull.stop();
      }
    } finally {
      this.pull = undefined;
    }
    // With one at a time, the next pull waits for the handler, as order requires.
    if (this.concurrency === 1) await Promise.all(this.inHand);
  }

  private hold(msg: JsMsg): void {
    const work: Promise<void> = this.handle(msg)
      .catch((err: unknown) => this.log.warn({ ...this.context, ...errorFields(err) }, 'bus message handling failed'))
      .finally(() => {
        this.inHand.delete(work);
        this.pause.wake();
      });
    this.inHand.add(work);
  }
}
