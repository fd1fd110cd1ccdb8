import type { EventSubject, PayloadOf, ReplyOf, RequestSubject } from '@dispatch/contracts';
import type { Bus, MessageHandler, PublishOptions, RawBus, ReplyHandler, RequestOptions, SubscribeOptions, Subscription } from './bus';
import type { BusLog } from './bus-log';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './defaults';
import { InFlight } from './in-flight';
import { type ResolvedSubscribeOptions, resolveSubscribeOptions } from './subscribe-options';
import { assertSubject } from './subject-match';

/** What the bus needs of one subscription's member, whatever the transport. */
export interface StoppableMember {
  /** Stops taking messages and waits up to `graceMs` for those in hand. */
  stop(graceMs: number): Promise<void>;
}

/**
 * What both transports share: argument checks, the typed methods (which are the raw ones with the
 * map's types: checking payloads is the receiver's job), the bookkeeping of members and reply
 * registrations, and the close sequence: stop accepting, stop serving requests, give running
 * handlers `closeGraceMs`, then refuse everything.
 */
export abstract class BaseBus<M extends StoppableMember> implements Bus {
  protected readonly members = new Set<M>();
  /** Running reply handlers, which close() lets finish within the grace period. */
  protected readonly replyWork = new InFlight();
  private readonly replyRemovers = new Set<() => void>();
  /** Set when close() starts: no new subscriptions. */
  private closing?: Promise<void>;
  /** Set when close() ends: handlers still running are abandoned and may no longer settle. */
  private closed = false;

  readonly raw: RawBus = {
    publish: async (subject, data, options = {}) => {
      this.assertOpen();
      assertSubject(subject, { wildcards: false });
      await this.send(subject, data, options);
    },
    subscribe: async <T>(subject: string, options: SubscribeOptions, handler: MessageHandler<T>) => {
      this.assertAccepting();
      assertSubject(subject, { wildcards: true });
      const start = await this.prepareMember(subject, resolveSubscribeOptions(options), handler);
      // close() may have begun meanwhile and would never stop a member added after it.
      this.assertAccepting();
      const member = start();
      this.members.add(member);
      return {
        unsubscribe: async () => {
          if (!this.members.delete(member)) return;
          await member.stop(this.closeGraceMs);
        },
      };
    },
    request: async <Res>(subject: string, data: unknown, options: RequestOptions = {}) => {
      this.assertOpen();
      assertSubject(subject, { wildcards: false });
      return (await this.ask(subject, data, options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, options.headers)) as Res;
    },
    reply: async <Req, Res>(subject: string, group: string, handler: ReplyHandler<Req, Res>) => {
      this.assertAccepting();
      assertSubject(subject, { wildcards: true });
      if (!group) throw new Error('a reply needs a non-empty group');
      const remove = this.serve(subject, group, handler as ReplyHandler<unknown, unknown>);
      this.replyRemovers.add(remove);
      return {
        unsubscribe: async () => {
          if (this.replyRemovers.delete(remove)) remove();
        },
      };
    },
  };

  protected constructor(
    protected readonly closeGraceMs: number,
    protected readonly log: BusLog,
  ) {}

  publish<S extends EventSubject>(subject: S, data: PayloadOf<S>, options?: PublishOptions): Promise<void> {
    return this.raw.publish(subject, data, options);
  }

  subscribe<S extends EventSubject>(subject: S, options: SubscribeOptions, handler: MessageHandler<PayloadOf<S>>): Promise<Subscription> {
    return this.raw.subscribe(subject, options, handler);
  }

  request<S extends RequestSubject>(subject: S, data: PayloadOf<S>, options?: RequestOptions): Promise<ReplyOf<S>> {
    return this.raw.request<ReplyOf<S>>(subject, data, options);
  }

  reply<S extends RequestSubject>(subject: S, group: string, handler: ReplyHandler<PayloadOf<S>, ReplyOf<S>>): Promise<Subscription> {
    return this.raw.reply(subject, group, handler);
  }

  abstract ping(): Promise<void>;

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  /** Stores one message (its subject is checked and concrete). */
  protected abstract send(subject: string, data: unknown, options: PublishOptions): Promise<void>;
  /** Creates or resumes the group's durable consumer; the member it returns starts when called. */
  protected abstract prepareMember<T>(subject: string, options: ResolvedSubscribeOptions, handler: MessageHandler<T>): Promise<() => M>;
  /** One request and its answer; rejects with BusTimeoutError or BusRemoteError. */
  protected abstract ask(subject: string, data: unknown, timeoutMs: number, headers: Record<string, string> | undefined): Promise<unknown>;
  /** Starts serving requests on `subject` (wildcards allowed); returns what stops it. */
  protected abstract serve(subject: string, group: string, handler: ReplyHandler<unknown, unknown>): () => void;
  /** The transport's own work that close() waits for beside the handlers. */
  protected async stopTransport(): Promise<void> {}
  /** Runs once handlers are done or abandoned and the bus is closed. */
  protected async afterClose(): Promise<void> {}

  protected get isClosing(): boolean {
    return this.closing !== undefined;
  }

  protected get isClosed(): boolean {
    return this.closed;
  }

  /** Publishing stays allowed while closing: handlers finishing within the grace period may still emit events. */
  protected assertOpen(): void {
    if (this.closed) throw new Error('the bus is closed');
  }

  private assertAccepting(): void {
    if (this.closing) throw new Error('the bus is closing');
  }

  private async shutDown(): Promise<void> {
    for (const remove of this.replyRemovers) remove();
    this.replyRemovers.clear();
    const members = [...this.members];
    this.members.clear();
    await Promise.all([...members.map((m) => m.stop(this.closeGraceMs)), this.replyWork.settle(this.closeGraceMs), this.stopTransport()]);
    this.closed = true;
    await this.afterClose();
  }
}
