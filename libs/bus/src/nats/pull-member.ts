import type { Consumer, ConsumerMessages, JsMsg } from 'nats';
import { type BusLog, errorFields } from '../bus-log';
import { settleWithin } from '../in-flight';
import { WakeableSleep } from '../wake-sleep';

/** How long one pull waits at the server for a message; an idle member re-pulls this often. */
const PULL_EXPIRES_MS = 5_000;
const RETRY_MS = 1_000;

/**
 * One subscription of a group on a durable pull consumer. It asks for one message at a time and
 * only after the previous one is handled, so a member never holds messages it is not working on:
 * a busy or stuck member leaves the rest (and any redelivery) to the other members, a message's
 * ack wait starts when its handler starts, and one member sees a subject in order.
 */
export class PullMember {
  private stopped = false;
  private pull?: ConsumerMessages;
  private readonly retryPause = new WakeableSleep();
  private readonly loop: Promise<void>;

  constructor(
    private readonly consumer: Consumer,
    private readonly handle: (msg: JsMsg) => Promise<void>,
    private readonly log: BusLog,
    private readonly context: { group: string; subject: string },
  ) {
    this.loop = this.run();
  }

  /** Stops pulling and waits up to `graceMs` for the message in hand; past that it is abandoned to its ack wait. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    this.pull?.stop();
    this.retryPause.wake();
    await settleWithin([this.loop], graceMs);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let msg: JsMsg | undefined;
      try {
        msg = await this.next();
      } catch (err) {
        if (this.stopped) break;
        this.log.warn({ ...this.context, ...errorFields(err) }, 'bus consumer pull failed; retrying');
        await this.retryPause.sleep(RETRY_MS);
        continue;
      }
      if (!msg) continue;
      if (this.stopped) {
        // Arrived while stopping: hand it straight back instead of letting it wait out its ack wait.
        try {
          msg.nak();
        } catch {
          // The connection is gone already; the ack wait brings the message back.
        }
        break;
      }
      await this.handle(msg);
    }
  }

  private async next(): Promise<JsMsg | undefined> {
    const pull = await this.consumer.fetch({ max_messages: 1, expires: PULL_EXPIRES_MS });
    this.pull = pull;
    try {
      if (this.stopped) pull.stop();
      for await (const msg of pull) {
        // Ends the pull now: left open, its heartbeat monitor would re-pull while the handler runs.
        pull.stop();
        return msg;
      }
      return undefined;
    } finally {
      this.pull = undefined;
    }
  }
}
