import type { Bus, Subscription } from '@dispatch/bus';
import type { EventSubject, PayloadOf } from '@dispatch/contracts';
import type { Logger } from 'pino';

/** What one reconcile step asks next: nothing (the entity reached its spec) or another look later. */
export type ReconcileOutcome = { done: true } | { requeueAfterMs: number };

export interface ReconcileLoopOptions {
  name: string;
  /** Ids of entities not in a terminal state; read at start and on every resync. */
  listPending(): Promise<string[]>;
  /** Drives one entity toward its spec; idempotent, since an id may be handed over again. */
  reconcile(id: string): Promise<ReconcileOutcome>;
  log: Pick<Logger, 'warn' | 'debug' | 'error'>;
  resyncMs?: number;
  concurrency?: number;
  /** Backoff after a failed step: doubles from `baseBackoffMs` to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * The reconcile loop every service runs for its entities (DESIGN §6). Ids arrive from events
 * (`enqueue`) and from a periodic re-list of non-terminal entities, which is also how work left
 * unfinished by a crash or restart is resumed. One id is never reconciled twice at once; an id
 * enqueued while in flight runs once more afterwards; failures retry with backoff.
 */
export class ReconcileLoop {
  private readonly queue = new Set<string>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly failures = new Map<string, number>();
  private resyncTimer?: NodeJS.Timeout;
  private running = false;
  private readonly subscriptions: Subscription[] = [];

  constructor(private readonly options: ReconcileLoopOptions) {}

  async start(): Promise<void> {
    this.running = true;
    await this.resync();
    this.resyncTimer = setInterval(() => void this.resync(), this.options.resyncMs ?? 30_000);
    this.resyncTimer.unref();
  }

  /** Feeds the loop from a bus subject whose payload carries the entity id. */
  async watch<S extends EventSubject>(bus: Bus, subject: S, group: string, idOf: (payload: PayloadOf<S>) => string): Promise<void> {
    this.subscriptions.push(
      await bus.subscribe(subject, { group }, async (msg) => {
        this.enqueue(idOf(msg.data));
      }),
    );
  }

  enqueue(id: string): void {
    if (!this.running) return;
    if (this.inFlight.has(id)) {
      this.dirty.add(id);
      return;
    }
    this.queue.add(id);
    this.pump();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.resyncTimer);
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.queue.clear();
    await Promise.all(this.subscriptions.splice(0).map((s) => s.unsubscribe()));
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private async resync(): Promise<void> {
    try {
      for (const id of await this.options.listPending()) this.enqueue(id);
    } catch (err) {
      this.options.log.warn({ err, loop: this.options.name }, 'reconcile resync failed; retrying on the next period');
    }
  }

  private pump(): void {
    const limit = this.options.concurrency ?? 4;
    for (const id of this.queue) {
      if (this.inFlight.size >= limit) return;
      this.queue.delete(id);
      this.inFlight.set(id, this.run(id));
    }
  }

  private async run(id: string): Promise<void> {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    try {
      const outcome = await this.options.reconcile(id);
      this.failures.delete(id);
      if ('requeueAfterMs' in outcome) this.later(id, outcome.requeueAfterMs);
    } catch (err) {
      const n = (this.failures.get(id) ?? 0) + 1;
      this.failures.set(id, n);
      const base = this.options.baseBackoffMs ?? 500;
      const delay = Math.min(base * 2 ** (n - 1), this.options.maxBackoffMs ?? 30_000);
      this.options.log.warn({ err, loop: this.options.name, id, attempt: n, retryInMs: delay }, 'reconcile step failed');
      this.later(id, delay);
    } finally {
      this.inFlight.delete(id);
      if (this.dirty.delete(id)) this.enqueue(id);
      this.pump();
    }
  }

  private later(id: string, ms: number): void {
    if (!this.running) return;
    clearTimeout(this.timers.get(id));
    const timer = setTimeout(() => {
      this.timers.delete(id);
      this.enqueue(id);
    }, ms);
    timer.unref();
    this.timers.set(id, timer);
  }
}
