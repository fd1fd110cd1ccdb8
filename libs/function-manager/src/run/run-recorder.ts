import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { isStatementRefused, isStoreUnavailable } from '@dispatch/persistence';
import type { Run } from './run.entity';
import { RunRepository } from './run.repository';

/** How long a blocking run may go unrecorded: past it, its RUNNING record is written so it is visible. */
export const RECORD_RUNNING_AFTER_MS = 1000;

/**
 * How long a write waits for more runs to finish before it starts. Blocking runs answer before
 * their record is written, so this costs callers nothing; under load it makes each statement
 * carry many runs (one transaction instead of one per few runs).
 */
export const WRITE_DELAY_MS = 10;
/** Bounds one statement: run records hold logs of up to a few MiB (characters of JSON text). */
const MAX_BATCH_RUNS = 1000;
const MAX_BATCH_CHARS = 8 * 1024 * 1024;
/** How long a list waits for this process's uncommitted runs before it reads without them. */
const COMMITTED_WAIT_MS = 1000;
/**
 * Retries of writes the database could not take (down, restarting) wait this long, doubling up to
 * RETRY_MAX_MS: new runs are refused until the held records are written, so a retry comes soon
 * after the database is back.
 */
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 1000;
/** While the app stops, how long records are retried for a database that does not answer before they are given up. */
const RETRY_WHILE_STOPPING_MS = 10_000;

interface Pending {
  run: Run;
  /** The run as JSON, once serialized for a statement it did not fit in. */
  row?: string;
  done: Array<{ resolve(): void; reject(err: unknown): void }>;
}

/**
 * Writes run records with group commit: the runs saved within WRITE_DELAY_MS, and whatever is
 * saved while a write is under way, go into one upsert, so recording never becomes the bottleneck
 * of blocking runs. Later writes of one run replace
 * earlier ones still waiting; `save` resolves once the record is committed, and until then
 * `pending` serves it to this process's readers. A statement that fails is split and sent again,
 * so one run that PostgreSQL refuses costs only its own record. A statement the database cannot
 * take (down, restarting) is kept and sent again with backoff until it can: meanwhile
 * `storeDown` is true, and new runs are refused rather than answered unrecorded.
 */
@Injectable()
export class RunRecorder implements OnApplicationShutdown {
  private waiting = new Map<string, Pending>();
  /** The batch being written. */
  private writingNow = new Map<string, Run>();
  private writing: Promise<void> | undefined;
  /** The statement under way, if any. */
  private batchWrite: Promise<Pending[]> | undefined;
  /** Set by shutdown: what is saved from then on is written at once. */
  private closing = false;
  private readonly runningTimers = new Map<string, NodeJS.Timeout>();
  /** Since when writes have failed because the database does not answer; unset while they succeed. */
  private downSince?: number;

  constructor(private readonly runs: RunRepository) {}

  save(run: Run): Promise<void> {
    this.cancelRunningRecord(run.id);
    return new Promise<void>((resolve, reject) => {
      const pending = this.waiting.get(run.id);
      if (pending) {
        pending.run = run;
        pending.row = undefined;
        pending.done.push({ resolve, reject });
      } else {
        this.waiting.set(run.id, { run, done: [{ resolve, reject }] });
      }
      if (!this.writing) this.writing = this.drain();
    });
  }

  /** Whether the last write found the database unreachable: records are held until it is back. */
  get storeDown(): boolean {
    return this.downSince !== undefined;
  }

  /** A run saved but not committed yet, so this process reads its own writes. */
  pending(id: string): Run | undefined {
    return this.waiting.get(id)?.run ?? this.writingNow.get(id);
  }

  /** A blocking run is written only when it ends, unless it runs longer than RECORD_RUNNING_AFTER_MS. */
  recordIfLong(run: Run): void {
    const timer = setTimeout(() => {
      this.runningTimers.delete(run.id);
      this.save({ ...run }).catch(() => undefined);
    }, RECORD_RUNNING_AFTER_MS);
    timer.unref();
    this.runningTimers.set(run.id, timer);
  }

  /**
   * Resolves once every run of `org` saved so far is committed or has failed to be, or after
   * COMMITTED_WAIT_MS when the database is slow: lists read their own writes without hanging.
   */
  async committed(org: string): Promise<void> {
    const waits: Promise<unknown>[] = [];
    for (const p of this.waiting.values())
      if (p.run.org === org) waits.push(new Promise<void>((resolve) => p.done.push({ resolve, reject: () => resolve() })));
    if (this.batchWrite && [...this.writingNow.values()].some((r) => r.org === org)) waits.push(this.batchWrite.catch(() => undefined));
    if (!waits.length) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(waits), new Promise((resolve) => (timer = setTimeout(resolve, COMMITTED_WAIT_MS)))]);
    clearTimeout(timer);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    for (const t of this.runningTimers.values()) clearTimeout(t);
    // Runs may still end while the app stops (async runs whose provider is closing): each drain
    // started meanwhile is waited for too.
    while (this.writing) await this.writing;
  }

  private cancelRunningRecord(id: string): void {
    const timer = this.runningTimers.get(id);
    if (timer) {
      clearTimeout(timer);
      this.runningTimers.delete(id);
    }
  }

  private async drain(): Promise<void> {
    try {
      let started = performance.now();
      // Always asynchronous: save() sets `writing` to this promise only after the first await.
      await sleep(this.closing ? 0 : WRITE_DELAY_MS);
      while (this.waiting.size) {
        // Each statement starts WRITE_DELAY_MS after the previous one at the earliest: under load a
        // write takes less, and the runs that finished meanwhile would otherwise go out a few at a time.
        const wait = WRITE_DELAY_MS - (performance.now() - started);
        if (wait > 0 && !this.closing && this.waiting.size < MAX_BATCH_RUNS) await sleep(wait);
        started = performance.now();
        const batch = this.nextBatch();
        if (!batch.length) continue;
        for (const p of batch) this.waiting.delete(p.run.id);
        this.writingNow = new Map(batch.map((p) => [p.run.id, p.run]));
        this.batchWrite = this.writeSplitting(batch);
        let held: Pending[];
        try {
          held = await this.batchWrite;
        } finally {
          this.writingNow = new Map();
          this.batchWrite = undefined;
        }
        if (held.length) await this.holdForRetry(held);
        else this.downSince = undefined;
      }
    } finally {
      this.writing = undefined;
    }
  }

  /** The runs of the next statement, each serialized; a run that cannot be is refused alone. */
  private nextBatch(): Pending[] {
    const batch: Pending[] = [];
    let chars = 0;
    for (const p of this.waiting.values()) {
      try {
        p.row ??= this.runs.rowOf(p.run);
      } catch (err) {
        this.waiting.delete(p.run.id);
        for (const d of p.done) d.reject(err);
        continue;
      }
      if (batch.length && (batch.length === MAX_BATCH_RUNS || chars + p.row.length > MAX_BATCH_CHARS)) break;
      batch.push(p);
      chars += p.row.length;
    }
    return batch;
  }

  /**
   * Writes the batch; when PostgreSQL refuses it, each half again, down to the run it refuses.
   * Resolves with the runs the database could not take at all, to be sent again.
   */
  private async writeSplitting(batch: Pending[]): Promise<Pending[]> {
    try {
      await this.runs.upsertRows(batch.map((p) => p.row as string));
      for (const p of batch) for (const d of p.done) d.resolve();
      return [];
    } catch (err) {
      if (isStoreUnavailable(err) && !this.givingUp()) return batch;
      if (batch.length === 1 || !isStatementRefused(err)) {
        for (const p of batch) for (const d of p.done) d.reject(err);
        return [];
      }
      const half = Math.ceil(batch.length / 2);
      return [...(await this.writeSplitting(batch.slice(0, half))), ...(await this.writeSplitting(batch.slice(half)))];
    }
  }

  /** Puts runs the database could not take back in line (behind nothing: a later save of the same run wins) and waits before the next try. */
  private async holdForRetry(held: Pending[]): Promise<void> {
    this.downSince ??= Date.now();
    for (const p of held) {
      const later = this.waiting.get(p.run.id);
      if (later) later.done.push(...p.done);
      else this.waiting.set(p.run.id, p);
    }
    const failures = Math.floor(Math.log2((Date.now() - this.downSince) / RETRY_FIRST_MS + 1));
    await sleep(Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** failures));
  }

  /** Stopping, and the database has not answered for long: the records still held are given up (their runs were answered). */
  private givingUp(): boolean {
    return this.closing && this.downSince !== undefined && Date.now() - this.downSince > RETRY_WHILE_STOPPING_MS;
  }
}
