import {
  connect,
  ErrorCode,
  headers as natsHeaders,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type Msg,
  NatsError,
  type NatsConnection,
} from 'nats';
import { BaseBus } from '../base-bus';
import { BusRemoteError, BusTimeoutError, type MessageHandler, type PublishOptions, type ReplyHandler } from '../bus';
import { type BusLog, consoleBusLog, errorFields } from '../bus-log';
import { withDeadline } from '../deadline';
import { DEFAULT_CLOSE_GRACE_MS, PING_TIMEOUT_MS } from '../defaults';
import { type DeliveryContext, DeliveryRun } from '../delivery-run';
import { durableName } from '../durable-name';
import { answerChecked } from '../payload-check';
import { type RemoteFailure, toRemoteFailure } from '../remote-failure';
import type { ResolvedSubscribeOptions } from '../subscribe-options';
import { subjectCovers } from '../subject-match';
import { decodeJson, encodeJson, fromNatsHeaders, MSG_ID_HEADER, REPLY_ERROR_HEADER, toNatsHeaders } from './codec';
import { ensureDurable } from './consumers';
import { Namespace } from './namespace';
import { PullMember } from './pull-member';
import { assertStreamDefinitions, DEFAULT_STREAMS, ensureStream, type StreamDefinition } from './streams';

export interface NatsBusOptions {
  url: string | string[];
  /** Prefixes every subject (`<ns>.`) and stream (`<ns>_`) on the wire; for test isolation. */
  namespace?: string;
  /** Streams in addition to DISPATCH (which covers the platform service roots). */
  streams?: StreamDefinition[];
  /** Connection name shown by the server's monitoring. */
  name?: string;
  /** How long close() and unsubscribe() wait for running handlers before abandoning them. */
  closeGraceMs?: number;
  log?: BusLog;
}

/**
 * The cluster-mode bus: publish/subscribe on JetStream (durable pull consumers, explicit acks),
 * request/reply on core NATS. Payloads are JSON.
 */
export class NatsBus extends BaseBus<PullMember> {
  private readonly js: JetStreamClient;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly ns: Namespace,
    private readonly streams: readonly StreamDefinition[],
    closeGraceMs: number,
    log: BusLog,
  ) {
    super(closeGraceMs, log);
    this.js = nc.jetstream();
  }

  static async connect(options: NatsBusOptions): Promise<NatsBus> {
    const ns = new Namespace(options.namespace);
    const streams = [...DEFAULT_STREAMS, ...(options.streams ?? [])];
    assertStreamDefinitions(streams);
    // Reconnect for ever: a service outlives NATS restarts; the default gives up after 10 tries.
    const nc = await connect({ servers: options.url, name: options.name, maxReconnectAttempts: -1 });
    try {
      const jsm = await nc.jetstreamManager();
      for (const stream of streams) await ensureStream(jsm, ns, stream);
      return new NatsBus(nc, jsm, ns, streams, options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS, options.log ?? consoleBusLog);
    } catch (err) {
      await nc.close();
      throw err;
    }
  }

  /** Checks core NATS and JetStream: with JetStream down the core connection still answers, but nothing can be published. */
  async ping(): Promise<void> {
    this.assertOpen();
    await withDeadline(Promise.all([this.nc.rtt(), this.jsm.getAccountInfo()]), PING_TIMEOUT_MS, 'NATS JetStream');
  }

  protected async send(subject: string, data: unknown, options: PublishOptions): Promise<void> {
    // Fails with a message naming the subject; JetStream would only answer "503".
    this.streamFor(subject);
    // A duplicate msgId is acked with `duplicate: true`; dropping it silently is the contract.
    await this.js.publish(this.ns.subject(subject), encodeJson(data), {
      msgID: options.msgId,
      headers: toNatsHeaders(options.headers),
    });
  }

  protected async prepareMember<T>(
    subject: string,
    options: ResolvedSubscribeOptions,
    handler: MessageHandler<T>,
  ): Promise<() => PullMember> {
    const stream = this.ns.stream(this.streamFor(subject).name);
    const { group, ackWaitMs, maxDeliver, concurrency } = options;
    const name = durableName(group, subject);
    const context: DeliveryContext = { group, maxDeliver, log: this.log };
    await ensureDurable(this.jsm, { stream, name, filterSubject: this.ns.subject(subject), ackWaitMs, maxDeliver });
    const consumer = await this.js.consumers.get(stream, name);
    return () => new PullMember(consumer, (msg) => this.deliver(msg, handler, context), this.log, { group, subject }, concurrency);
  }

  protected async ask(subject: string, data: unknown, timeoutMs: number, headers: Record<string, string> | undefined): Promise<unknown> {
    let reply: Msg;
    try {
      reply = await this.nc.request(this.ns.request(subject), encodeJson(data), {
        timeout: timeoutMs,
        headers: toNatsHeaders(headers),
      });
    } catch (err) {
      // No responders (503) comes back at once rather than after the timeout. It is reported as a
      // timeout too: to the caller both mean "nobody answered", and failing fast beats waiting
      // for an answer that cannot come.
      if (err instanceof NatsError && (err.code === ErrorCode.Timeout || err.code === ErrorCode.NoResponders)) {
        throw new BusTimeoutError(subject, timeoutMs);
      }
      throw err;
    }
    if (reply.headers?.has(REPLY_ERROR_HEADER)) {
      const failure = decodeJson(reply.data) as RemoteFailure;
      throw new BusRemoteError(subject, failure.code, failure.message);
    }
    return decodeJson(reply.data);
  }

  protected serve(subject: string, group: string, handler: ReplyHandler<unknown, unknown>): () => void {
    const subscription = this.nc.subscribe(this.ns.request(subject), {
      queue: group,
      callback: (err, msg) => {
        if (err) {
          this.log.warn({ subject, group, ...errorFields(err) }, 'bus reply subscription failed');
          return;
        }
        this.replyWork.track(this.answer(msg, handler));
      },
    });
    return () => subscription.unsubscribe();
  }

  protected override async afterClose(): Promise<void> {
    if (this.nc.isClosed()) return;
    try {
      await this.nc.drain();
    } catch (err) {
      this.log.warn(errorFields(err), 'bus connection did not drain; closing it');
      await this.nc.close();
    }
  }

  private async deliver<T>(msg: JsMsg, handler: MessageHandler<T>, context: DeliveryContext): Promise<void> {
    const subject = this.ns.local(msg.subject);
    let data: T;
    try {
      data = decodeJson(msg.data) as T;
    } catch (err) {
      // Redelivering cannot make it parse: give up on it right away.
      this.log.error({ subject, group: context.group, ...errorFields(err) }, 'bus message dead-lettered: payload is not JSON');
      msg.term('payload is not JSON');
      return;
    }
    const whileOpen = async (settle: () => void | Promise<unknown>) => {
      if (!this.isClosed) await settle();
    };
    const run = new DeliveryRun<T>(
      {
        subject,
        data,
        headers: fromNatsHeaders(msg.headers),
        msgId: msg.headers?.get(MSG_ID_HEADER) || undefined,
        deliveryCount: msg.info.deliveryCount,
      },
      {
        // Waits for the server to confirm, so "acked" means it will not come back.
        ack: () => whileOpen(() => msg.ackAck()),
        nak: (delayMs) => whileOpen(() => (delayMs > 0 ? msg.nak(delayMs) : msg.nak())),
        term: (reason) => whileOpen(() => msg.term(reason)),
        working: () => whileOpen(() => msg.working()),
      },
    );
    await run.run(handler, context);
  }

  /** Answers one request; never throws, a failing handler becomes an error reply. */
  private async answer(msg: Msg, handler: ReplyHandler<unknown, unknown>): Promise<void> {
    const subject = this.ns.localRequest(msg.subject);
    let body: Uint8Array;
    let failed: RemoteFailure | undefined;
    try {
      body = encodeJson(await answerChecked(subject, handler, decodeJson(msg.data), fromNatsHeaders(msg.headers)));
    } catch (err) {
      failed = toRemoteFailure(err);
      body = encodeJson(failed);
    }
    try {
      if (failed) {
        const h = natsHeaders();
        h.set(REPLY_ERROR_HEADER, failed.code);
        msg.respond(body, { headers: h });
      } else {
        msg.respond(body);
      }
    } catch (err) {
      this.log.warn({ subject, ...errorFields(err) }, 'bus could not send a reply');
    }
  }

  /** The stream that captures `subject`; publishing or subscribing outside every stream is a configuration error. */
  private streamFor(subject: string): StreamDefinition {
    const stream = this.streams.find((s) => s.subjects.some((pattern) => subjectCovers(pattern, subject)));
    if (!stream) throw new Error(`no bus stream captures subject "${subject}"`);
    return stream;
  }
}
