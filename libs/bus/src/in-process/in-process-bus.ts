import type { Pool } from 'pg';
import { BaseBus } from '../base-bus';
import { BusRemoteError, BusTimeoutError, type MessageHandler, type PublishOptions, type ReplyHandler } from '../bus';
import { type BusLog, consoleBusLog, errorFields } from '../bus-log';
import { withDeadline } from '../deadline';
import { DEFAULT_CLOSE_GRACE_MS, PING_TIMEOUT_MS } from '../defaults';
import { durableName } from '../durable-name';
import { answerChecked } from '../payload-check';
import { toRemoteFailure } from '../remote-failure';
import type { ResolvedSubscribeOptions } from '../subscribe-options';
import { subjectMatches } from '../subject-match';
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
export class InProcessBus extends BaseBus<Member> {
  private readonly store: DeliveryStore;
  private readonly replies = new ReplyRegistry();
  private readonly pollIntervalMs: number;
  private readonly retentionMs: number;
  private readonly deadRetentionMs: number;
  private readonly sweepIntervalMs: number;
  private sweepTimer?: NodeJS.Timeout;
  /** The sweep in progress, if any: close() waits for it, as the caller may end the pool next. */
  private sweeping?: Promise<void>;

  private constructor(options: InProcessBusOptions) {
    super(options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS, options.log ?? consoleBusLog);
    this.store = new DeliveryStore(options.pool, options.schema ?? BUS_SCHEMA);
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.retentionMs = positive('retentionMs', options.retentionMs ?? DEFAULT_RETENTION_MS);
    this.deadRetentionMs = positive('deadRetentionMs', options.deadRetentionMs ?? DEFAULT_DEAD_RETENTION_MS);
    this.sweepIntervalMs = positive('sweepIntervalMs', options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS);
  }

  static async start(options: InProcessBusOptions): Promise<InProcessBus> {
    const bus = new InProcessBus(options);
    await bus.store.assertSchema();
    bus.scheduleSweep();
    return bus;
  }

  async ping(): Promise<void> {
    this.assertOpen();
    await withDeadline(this.store.ping(), PING_TIMEOUT_MS, 'the bus database');
  }

  protected async send(subject: string, data: unknown, options: PublishOptions): Promise<void> {
    const stored = await this.store.publish(subject, data, options.headers ?? {}, options.msgId);
    if (!stored) return;
    for (const member of this.members) {
      if (subjectMatches(member.filter, subject)) member.wake();
    }
  }

  protected async prepareMember<T>(subject: string, options: ResolvedSubscribeOptions, handler: MessageHandler<T>): Promise<() => Member> {
    const { group, ackWaitMs, maxDeliver, concurrency } = options;
    const consumer = durableName(group, subject);
    await this.store.ensureConsumer(consumer, subject, ackWaitMs, maxDeliver);
    return () => {
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
        isOpen: () => !this.isClosed,
      });
      member.start();
      return member;
    };
  }

  protected ask(subject: string, data: unknown, timeoutMs: number, headers: Record<string, string> | undefined): Promise<unknown> {
    const registration = this.replies.pick(subject);
    // Nobody serves the subject: fail now rather than after the timeout, as NATS does when a
    // request has no responders; either way the caller sees a BusTimeoutError.
    if (!registration) return Promise.reject(new BusTimeoutError(subject, timeoutMs));
    const request = jsonClone(data);
    const work = (async () => jsonClone(await answerChecked(subject, registration.handler, request, { ...headers })))();
    this.replyWork.track(work);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new BusTimeoutError(subject, timeoutMs)), timeoutMs);
      work.then(
        (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        (err: unknown) => {
          clearTimeout(timer);
          const failure = toRemoteFailure(err);
          reject(new BusRemoteError(subject, failure.code, failure.message));
        },
      );
    });
  }

  protected serve(subject: string, group: string, handler: ReplyHandler<unknown, unknown>): () => void {
    return this.replies.add({ subject, group, handler });
  }

  protected override async stopTransport(): Promise<void> {
    clearTimeout(this.sweepTimer);
    await this.sweeping;
  }

  /** Unref'd: the sweep alone must not keep the process alive. Rescheduled only after a sweep ends, so sweeps never overlap. */
  private scheduleSweep(): void {
    if (this.isClosing) return;
    this.sweepTimer = setTimeout(() => {
      this.sweeping = this.sweep().finally(() => {
        this.sweeping = undefined;
        this.scheduleSweep();
      });
    }, this.sweepIntervalMs).unref();
  }

  private async sweep(): Promise<void> {
    try {
      await this.store.sweep(this.retentionMs, this.deadRetentionMs, { more: () => !this.isClosing });
    } catch (err) {
      this.log.warn({ schema: this.store.schema, ...errorFields(err) }, 'bus retention sweep failed; retrying at the next interval');
    }
  }
}
