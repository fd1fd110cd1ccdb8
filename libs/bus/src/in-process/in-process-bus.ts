import type { Pool } from 'pg';
import {
  type Bus,
  BusRemoteError,
  BusTimeoutError,
  type MessageHandler,
  type PublishOptions,
  type ReplyHandler,
  type RequestOptions,
  type SubscribeOptions,
  type Subscription,
} from '../bus';
import { type BusLog, consoleBusLog, errorFields } from '../bus-log';
import { withDeadline } from '../deadline';
import { DEFAULT_CLOSE_GRACE_MS, DEFAULT_REQUEST_TIMEOUT_MS, PING_TIMEOUT_MS } from '../defaults';
import { durableName } from '../durable-name';
import { InFlight } from '../in-flight';
import { toRemoteFailure } from '../remote-failure';
import { resolveSubscribeOptions } from '../subscribe-options';
import { assertSubject, subjectMatches } from '../subject-match';
import { DeliveryStore } from './delivery-store';
import { jsonClone } from './json-clone';
import { BUS_SCHEMA } from './migration';
import { type Member, PgMember } from './pg-member';
import { ReplyRegistry } from './reply-registry';

export interface InProcessBusOptions {
  /** Owned by the caller: close() leaves it open. */
  pool: Pool;
  /** Where busMigrations created the tables. */
  schema?: string;
  /** How long close() and unsubscribe() wait for running handlers before abandoning them. */
  closeGraceMs?: number;
  /** Longest an idle member sleeps without a wake-up; only matters for publishes by another process. */
  pollIntervalMs?: number;
  /**
   * How long a message is kept once no delivery refers to it (delivered to every consumer, or
   * matched none). De-duplication by msgId covers this window, as JetStream's duplicate window
   * does. Default 24 h.
   */
  retentionMs?: number;
  /** How long a dead-lettered delivery (and its message) is kept after it died. Default 7 days. */
  deadRetentionMs?: number;
  /** How often the retention sweep runs. Default 60 s. */
  sweepIntervalMs?: number;
  log?: BusLog;
}

const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;
const DEFAULT_DEAD_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of milliseconds, got ${value}`);
  return value;
}

/**
 * The solo-mode bus: durable through PostgreSQL, so publish/subscribe keeps JetStream's
 * guarantees across restarts; request/reply is in memory, as it is ephemeral on NATS too.
 *
 * A group's durable consumer is created by its first subscribe and, like a JetStream durable with
 * deliver policy "new", starts with the messages published after that; it lives on across
 * unsubscribe and restarts, and a later subscribe resumes it, un-acked messages included.
 */
export class InProcessBus implements Bus {
  private readonly store: DeliveryStore;
  private readonly members = new Set<Member>();
  private readonly replies = new ReplyRegistry();
  private readonly replyWork = new InFlight();
  private readonly closeGraceMs: number;
  private readonly pollIntervalMs: number;
  private readonly retentionMs: number;
  private readonly deadRetentionMs: number;
  private readonly sweepIntervalMs: number;
  private readonly log: BusLog;
  private sweepTimer?: NodeJS.Timeout;
  /** The sweep in progress, if any: close() waits for it, as the caller may end the pool next. */
  private sweeping?: Promise<void>;
  /** Set when close() starts: no new subscriptions. */
  private closing?: Promise<void>;
  /** Set when close() ends: handlers still running are abandoned and may no longer settle. */
  private closed = false;

  private constructor(options: InProcessBusOptions) {
    this.store = new DeliveryStore(options.pool, options.schema ?? BUS_SCHEMA);
    this.closeGraceMs = options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.retentionMs = positive('retentionMs', options.retentionMs ?? DEFAULT_RETENTION_MS);
    this.deadRetentionMs = positive('deadRetentionMs', options.deadRetentionMs ?? DEFAULT_DEAD_RETENTION_MS);
    this.sweepIntervalMs = positive('sweepIntervalMs', options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS);
    this.log = options.log ?? consoleBusLog;
  }

  static async start(options: InProcessBusOptions): Promise<InProcessBus> {
    const bus = new InProcessBus(options);
    await bus.store.assertSchema();
    bus.scheduleSweep();
    return bus;
  }

  async publish<T>(subject: string, data: T, options: PublishOptions = {}): Promise<void> {
    this.assertOpen();
    assertSubject(subject, { wildcards: false });
    const stored = await this.store.publish(subject, data, options.headers ?? {}, options.msgId);
    if (!stored) return;
    for (const member of this.members) {
      if (subjectMatches(member.filter, subject)) member.wake();
    }
  }

  async subscribe<T>(subject: string, options: SubscribeOptions, handler: MessageHandler<T>): Promise<Subscription> {
    this.assertAccepting();
    assertSubject(subject, { wildcards: true });
    const { group, ackWaitMs, maxDeliver, concurrency } = resolveSubscribeOptions(options);
    const consumer = durableName(group, subject);
    await this.store.ensureConsumer(consumer, subject, ackWaitMs, maxDeliver);
    // close() may have begun meanwhile and would never stop a member added after it.
    this.assertAccepting();
    const member = new PgMember<T>({
      store: this.store,
      consumer,
      filter: subject,
      group,
      ackWaitMs,
      maxDeliver,
      concurrency,
      handler,
      log: this.log,
      pollIntervalMs: this.pollIntervalMs,
      isOpen: () => !this.closed,
    });
    this.members.add(member);
    member.start();
    return {
      unsubscribe: async () => {
        if (!this.members.delete(member)) return;
        await member.stop(this.closeGraceMs);
      },
    };
  }

  async request<Req, Res>(subject: string, data: Req, options: RequestOptions = {}): Promise<Res> {
    this.assertOpen();
    assertSubject(subject, { wildcards: false });
    const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const registration = this.replies.pick(subject);
    // Nobody serves the subject: fail now rather than after the timeout, as NATS does when a
    // request has no responders; either way the caller sees a BusTimeoutError.
    if (!registration) throw new BusTimeoutError(subject, timeoutMs);
    const request = jsonClone(data);
    const headers = { ...options.headers };
    const work = (async () => jsonClone(await registration.handler(request, headers)))();
    this.replyWork.track(work);
    return new Promise<Res>((resolve, reject) => {
      const timer = setTimeout(() => reject(new BusTimeoutError(subject, timeoutMs)), timeoutMs);
      work.then(
        (result) => {
          clearTimeout(timer);
          resolve(result as Res);
        },
        (err: unknown) => {
          clearTimeout(timer);
          const failure = toRemoteFailure(err);
          reject(new BusRemoteError(subject, failure.code, failure.message));
        },
      );
    });
  }

  async reply<Req, Res>(subject: string, group: string, handler: ReplyHandler<Req, Res>): Promise<Subscription> {
    this.assertAccepting();
    assertSubject(subject, { wildcards: true });
    if (!group) throw new Error('a reply needs a non-empty group');
    const remove = this.replies.add({ subject, group, handler: handler as ReplyHandler<unknown, unknown> });
    return { unsubscribe: async () => remove() };
  }

  async ping(): Promise<void> {
    this.assertOpen();
    await withDeadline(this.store.ping(), PING_TIMEOUT_MS, 'the bus database');
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    clearTimeout(this.sweepTimer);
    this.replies.clear();
    const members = [...this.members];
    this.members.clear();
    await Promise.all([...members.map((m) => m.stop(this.closeGraceMs)), this.replyWork.settle(this.closeGraceMs), this.sweeping]);
    this.closed = true;
  }

  /** Unref'd: the sweep alone must not keep the process alive. Rescheduled only after a sweep ends, so sweeps never overlap. */
  private scheduleSweep(): void {
    if (this.closing) return;
    this.sweepTimer = setTimeout(() => {
      this.sweeping = this.sweep().finally(() => {
        this.sweeping = undefined;
        this.scheduleSweep();
      });
    }, this.sweepIntervalMs).unref();
  }

  private async sweep(): Promise<void> {
    try {
      await this.store.sweep(this.retentionMs, this.deadRetentionMs, { more: () => !this.closing });
    } catch (err) {
      this.log.warn({ schema: this.store.schema, ...errorFields(err) }, 'bus retention sweep failed; retrying at the next interval');
    }
  }

  /** Publishing stays allowed while closing: handlers finishing within the grace period may still emit events. */
  private assertOpen(): void {
    if (this.closed) throw new Error('the bus is closed');
  }

  private assertAccepting(): void {
    if (this.closing) throw new Error('the bus is closing');
  }
}
