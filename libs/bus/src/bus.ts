import type { EventSubject, PayloadOf, ReplyOf, RequestSubject } from '@dispatch/contracts';

/**
 * The one messaging interface every service uses (DESIGN §5). Two implementations: NATS
 * JetStream (nats/nats-bus.ts, cluster mode) and an in-process bus durable through PostgreSQL
 * (in-process/in-process-bus.ts, solo mode); what they share is in base-bus.ts.
 */
export interface BusMessage<T = unknown> {
  subject: string;
  data: T;
  headers: Record<string, string>;
  /** Publisher-supplied id used for de-duplication (outbox row id), when given. */
  msgId?: string;
  /** 1 on first delivery, then 2, 3, … on redeliveries. */
  deliveryCount: number;
  /** Acknowledge: the message is done and never redelivered. */
  ack(): Promise<void>;
  /** Negative acknowledge: redeliver after `delayMs` (default 0). */
  nak(delayMs?: number): Promise<void>;
  /**
   * Still at it: restarts the ack wait, so a handler that waits long (for capacity, say) keeps its
   * message instead of seeing it redelivered to another member. JetStream's "in progress" ack.
   */
  working(): Promise<void>;
}

export interface PublishOptions {
  /** De-duplication id: a second publish with the same id within the dedupe window is dropped. */
  msgId?: string;
  headers?: Record<string, string>;
}

export interface SubscribeOptions {
  /**
   * Durable consumer / queue group name. All subscriptions with the same group share one
   * cursor: each message goes to exactly one member. The cursor survives restarts.
   */
  group: string;
  /** How long a delivered message may stay un-acked before it is redelivered. Default 30 s. */
  ackWaitMs?: number;
  /** Deliveries before a message is given up (dead-lettered). Default 10. */
  maxDeliver?: number;
  /**
   * Messages this subscription handles at once. Default 1, which keeps publish order; more lets
   * handlers that wait on something else (a function call) overlap, in no particular order.
   */
  concurrency?: number;
}

export type MessageHandler<T = unknown> = (msg: BusMessage<T>) => Promise<void>;

/**
 * A handler that returns normally acks; one that throws naks (redelivered after a backoff that
 * doubles with each delivery, bounded by `maxDeliver`). A handler may also ack/nak itself; later
 * calls are no-ops.
 */
export interface Subscription {
  unsubscribe(): Promise<void>;
}

export interface RequestOptions {
  timeoutMs?: number;
  headers?: Record<string, string>;
}

export type ReplyHandler<Req = unknown, Res = unknown> = (data: Req, headers: Record<string, string>) => Promise<Res>;

/**
 * Subjects of the contracts' map (`SUBJECT_SCHEMAS` in @dispatch/contracts), payloads and replies
 * typed by it. Whatever path a message took, a payload of a map subject is checked against its
 * schema on receipt: one that fails is dead-lettered (events) or answered with a
 * VALIDATION_FAILED error (requests), and never reaches a handler.
 */
export interface Bus {
  /** Durable publish: resolves once the message is stored (JetStream ack / row committed). */
  publish<S extends EventSubject>(subject: S, data: PayloadOf<S>, options?: PublishOptions): Promise<void>;
  /** Durable subscribe with a queue group. */
  subscribe<S extends EventSubject>(subject: S, options: SubscribeOptions, handler: MessageHandler<PayloadOf<S>>): Promise<Subscription>;
  /** Request/reply; rejects with {@link BusTimeoutError} when no reply comes in time (default 5 s). */
  request<S extends RequestSubject>(subject: S, data: PayloadOf<S>, options?: RequestOptions): Promise<ReplyOf<S>>;
  /** Serve requests on `subject`; members of `group` share the load (one answers each request). */
  reply<S extends RequestSubject>(subject: S, group: string, handler: ReplyHandler<PayloadOf<S>, ReplyOf<S>>): Promise<Subscription>;
  /** The same bus for subjects outside the map; see {@link RawBus}. */
  readonly raw: RawBus;
  /** Throws when the bus cannot be reached; used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The bus with subjects as plain strings, for what the map cannot name: wildcard subscriptions,
 * user events (CloudEvents on `events.<org>.<type>`), rows the outbox stored earlier, and the
 * transport's own tests. Payload types here are the caller's claim; map subjects are still
 * checked on receipt.
 */
export interface RawBus {
  publish(subject: string, data: unknown, options?: PublishOptions): Promise<void>;
  /** `subject` may use NATS wildcards (`*`, `>`). */
  subscribe<T = unknown>(subject: string, options: SubscribeOptions, handler: MessageHandler<T>): Promise<Subscription>;
  request<Res = unknown>(subject: string, data: unknown, options?: RequestOptions): Promise<Res>;
  /** `subject` may use NATS wildcards (`*`, `>`). */
  reply<Req = unknown, Res = unknown>(subject: string, group: string, handler: ReplyHandler<Req, Res>): Promise<Subscription>;
}

export class BusTimeoutError extends Error {
  readonly code = 'BUS_TIMEOUT';
  constructor(
    readonly subject: string,
    readonly timeoutMs: number,
  ) {
    super(`no reply on ${subject} within ${timeoutMs} ms`);
    this.name = 'BusTimeoutError';
  }
}

/** A reply handler threw: the requester gets this, carrying the handler's code and message. */
export class BusRemoteError extends Error {
  constructor(
    readonly subject: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BusRemoteError';
  }
}

/** Token under which the Bus instance is provided to Nest modules. */
export const BUS = Symbol.for('dispatch.bus');
