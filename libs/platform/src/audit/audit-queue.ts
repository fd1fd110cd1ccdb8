import type { Logger } from 'pino';
import type { Bus } from '@dispatch/bus';
import type { AuditRecordedEvent } from '@dispatch/contracts';
import { AUDIT_SUBJECT } from './audit-event';

export type AuditDropReason = 'queue_full' | 'publish_failed' | 'closed';

export interface AuditQueueOptions {
  bus: Bus;
  logger: Pick<Logger, 'warn'>;
  /** Events waiting to be published at most; beyond it new events are dropped. Default 10 000. */
  capacity?: number;
  /** Publishes in flight at once. Default 4. */
  concurrency?: number;
  /** Attempts per event before it is dropped. Default 3. */
  maxAttempts?: number;
  /** Wait before the second attempt; doubled for each further one. Default 200 ms. */
  retryDelayMs?: number;
  /** Called for every dropped event (metrics). */
  onDrop?: (reason: AuditDropReason) => void;
  onPublished?: () => void;
}

interface Queued {
  event: AuditRecordedEvent;
  /** The bus msgId: unique per event, so a retried publish or a redelivery is stored once. */
  id: string;
}

/** At most one drop warning per window, with the count of the ones it stood for. */
const WARN_WINDOW_MS = 10_000;

/**
 * A bounded, fire-and-forget publisher: `enqueue` never waits and never throws, so auditing can
 * neither slow down nor fail the answer it records. When the bus is slower than the traffic for
 * long enough to fill `capacity`, new events are dropped and counted, never buffered without
 * bound.
 */
export class AuditQueue {
  private readonly capacity: number;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private items: Queued[] = [];
  private head = 0;
  private active = 0;
  private closed = false;
  private idle: (() => void)[] = [];
  private readonly counts = { published: 0, queue_full: 0, publish_failed: 0, closed: 0 };
  private lastWarnAt = -Infinity;
  private unwarned = new Map<AuditDropReason, number>();
  private warnTimer?: NodeJS.Timeout;
  private lastError: unknown;

  constructor(private readonly options: AuditQueueOptions) {
    this.capacity = options.capacity ?? 10_000;
    this.concurrency = options.concurrency ?? 4;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 200;
  }

  /** Events waiting, not counting the ones being published. */
  get waiting(): number {
    return this.items.length - this.head;
  }

  /** Events not published yet: waiting plus in flight. */
  get pending(): number {
    return this.waiting + this.active;
  }

  stats(): { pending: number; published: number; dropped: Record<AuditDropReason, number> } {
    const { published, queue_full, publish_failed, closed } = this.counts;
    return { pending: this.pending, published, dropped: { queue_full, publish_failed, closed } };
  }

  /** Queues the event for publishing; false (and counted) when it had to be dropped. */
  enqueue(event: AuditRecordedEvent, id: string): boolean {
    if (this.closed) return this.drop('closed', 1);
    if (this.waiting >= this.capacity) return this.drop('queue_full', 1);
    this.items.push({ event, id });
    this.pump();
    return true;
  }

  /** Resolves true once the queue is empty (every event published or dropped), false after `timeoutMs`. */
  flush(timeoutMs = 5000): Promise<boolean> {
    if (this.pending === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (drained: boolean) => {
        clearTimeout(timer);
        this.idle = this.idle.filter((w) => w !== onIdle);
        resolve(drained);
      };
      const onIdle = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      timer.unref();
      this.idle.push(onIdle);
    });
  }

  /**
   * Stops taking events and publishes what is queued, for at most `timeoutMs`; whatever is still
   * waiting then is dropped (counted as `closed`). Call it before the bus closes.
   */
  async close(timeoutMs = 5000): Promise<void> {
    this.closed = true;
    const drained = await this.flush(timeoutMs);
    if (!drained) {
      const left = this.waiting;
      this.items = [];
      this.head = 0;
      if (left > 0) this.drop('closed', left);
    }
    clearTimeout(this.warnTimer);
    this.flushWarning();
  }

  private pump(): void {
    while (this.active < this.concurrency && this.head < this.items.length) {
      const item = this.items[this.head++];
      // Drop the consumed prefix now and then, so the array does not grow with the traffic.
      if (this.head >= 1024 && this.head * 2 >= this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      this.active++;
      void this.send(item).finally(() => {
        this.active--;
        this.pump();
        if (this.pending === 0) for (const wake of this.idle.splice(0)) wake();
      });
    }
  }

  private async send(item: Queued): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.bus.publish(AUDIT_SUBJECT, item.event, { msgId: item.id });
        this.counts.published++;
        this.options.onPublished?.();
        return;
      } catch (err) {
        if (attempt >= this.maxAttempts || this.closed) {
          this.lastError = err;
          this.drop('publish_failed', 1);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * 2 ** (attempt - 1)).unref());
      }
    }
  }

  private drop(reason: AuditDropReason, count: number): false {
    this.counts[reason] += count;
    for (let i = 0; i < count; i++) this.options.onDrop?.(reason);
    this.unwarned.set(reason, (this.unwarned.get(reason) ?? 0) + count);
    if (Date.now() - this.lastWarnAt >= WARN_WINDOW_MS) this.flushWarning();
    else this.warnTimer ??= setTimeout(() => this.flushWarning(), WARN_WINDOW_MS).unref();
    return false;
  }

  private flushWarning(): void {
    this.warnTimer = undefined;
    if (this.unwarned.size === 0) return;
    const dropped = Object.fromEntries(this.unwarned);
    const err = this.unwarned.has('publish_failed') ? this.lastError : undefined;
    this.unwarned.clear();
    this.lastWarnAt = Date.now();
    this.options.logger.warn(
      { dropped, capacity: this.capacity, pending: this.pending, ...(err === undefined ? {} : { err }) },
      'audit events dropped: the bus did not keep up (queue_full), refused them (publish_failed) or the app was closing (closed)',
    );
  }
}
