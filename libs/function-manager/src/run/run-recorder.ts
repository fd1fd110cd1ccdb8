import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { InjectDataSource } from '@dispatch/platform';
import { Run } from '../persistence/entities/run.entity';

/** How long a blocking run may go unrecorded: past it, its RUNNING record is written so it is visible. */
export const RECORD_RUNNING_AFTER_MS = 1000;

/**
 * How long a write waits for more runs to finish before it starts. Blocking runs answer before
 * their record is written, so this costs callers nothing; under load it makes each statement
 * carry many runs (one transaction instead of one per few runs).
 */
export const WRITE_DELAY_MS = 10;
/** Bounds one statement: run records hold logs of up to a few MiB. */
const MAX_BATCH_RUNS = 1000;
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

interface Pending {
  run: Run;
  done: Array<{ resolve(): void; reject(err: unknown): void }>;
}

/**
 * Writes run records with group commit: the runs saved within WRITE_DELAY_MS, and whatever is
 * saved while a write is under way, go into one upsert, so recording never becomes the bottleneck
 * of blocking runs. The rows travel as one JSON parameter (`jsonb_to_recordset`): the statement's
 * text never changes and no run costs 18 parameters to encode. Later writes of one run replace
 * earlier ones still waiting; `save` resolves once the record is committed, and until then
 * `pending` serves it to this process's readers.
 */
@Injectable()
export class RunRecorder implements OnApplicationShutdown {
  private waiting = new Map<string, Pending>();
  /** The batch being written. */
  private writingNow = new Map<string, Run>();
  private writing: Promise<void> | undefined;
  /** The statement under way, if any. */
  private batchWrite: Promise<void> | undefined;
  private upsert: string | undefined;
  private columnList: ColumnMetadata[] | undefined;
  private readonly runningTimers = new Map<string, NodeJS.Timeout>();

  constructor(@InjectDataSource('functions') private readonly dataSource: DataSource) {}

  save(run: Run): Promise<void> {
    this.cancelRunningRecord(run.id);
    return new Promise<void>((resolve, reject) => {
      const pending = this.waiting.get(run.id);
      if (pending) {
        pending.run = run;
        pending.done.push({ resolve, reject });
      } else {
        this.waiting.set(run.id, { run, done: [{ resolve, reject }] });
      }
      if (!this.writing) this.writing = this.drain();
    });
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

  /** Resolves once every run saved so far is committed or has failed to be: lists read their own writes. */
  async committed(): Promise<void> {
    const waits = [...this.waiting.values()].map((p) => new Promise<void>((resolve) => p.done.push({ resolve, reject: () => resolve() })));
    if (this.batchWrite) waits.push(this.batchWrite.catch(() => undefined));
    await Promise.all(waits);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const t of this.runningTimers.values()) clearTimeout(t);
    await this.writing;
  }

  private cancelRunningRecord(id: string): void {
    const timer = this.runningTimers.get(id);
    if (timer) {
      clearTimeout(timer);
      this.runningTimers.delete(id);
    }
  }

  private async drain(): Promise<void> {
    let started = performance.now();
    await sleep(WRITE_DELAY_MS);
    while (this.waiting.size) {
      // Each statement starts WRITE_DELAY_MS after the previous one at the earliest: under load a
      // write takes less, and the runs that finished meanwhile would otherwise go out a few at a time.
      const wait = WRITE_DELAY_MS - (performance.now() - started);
      if (wait > 0 && this.waiting.size < MAX_BATCH_RUNS) await sleep(wait);
      started = performance.now();
      const batch: Pending[] = [];
      const rows: string[] = [];
      let bytes = 0;
      for (const p of this.waiting.values()) {
        const row = this.rowOf(p.run);
        if (batch.length && (batch.length === MAX_BATCH_RUNS || bytes + row.length > MAX_BATCH_BYTES)) break;
        batch.push(p);
        rows.push(row);
        bytes += row.length;
      }
      for (const p of batch) this.waiting.delete(p.run.id);
      this.writingNow = new Map(batch.map((p) => [p.run.id, p.run]));
      this.batchWrite = this.write(rows);
      try {
        await this.batchWrite;
        for (const p of batch) for (const d of p.done) d.resolve();
      } catch (err) {
        for (const p of batch) for (const d of p.done) d.reject(err);
      } finally {
        this.writingNow = new Map();
        this.batchWrite = undefined;
      }
    }
    this.writing = undefined;
  }

  /** One run as a JSON object keyed by column name; dates become ISO text, which PostgreSQL reads back exactly. */
  private rowOf(run: Run): string {
    const row: Record<string, unknown> = {};
    for (const c of this.columns()) row[c.databaseName] = run[c.propertyName as keyof Run];
    return JSON.stringify(row);
  }

  private columns(): ColumnMetadata[] {
    this.columnList ??= this.dataSource.getMetadata(Run).columns;
    return this.columnList;
  }

  private async write(rows: string[]): Promise<void> {
    this.upsert ??= this.upsertStatement();
    await this.dataSource.query(this.upsert, [`[${rows.join(',')}]`]);
  }

  /** Built from the entity's metadata, so a column added to Run is recorded without touching this. */
  private upsertStatement(): string {
    const meta = this.dataSource.getMetadata(Run);
    const q = (name: string) => `"${name}"`;
    const names = this.columns().map((c) => q(c.databaseName));
    const types = this.columns().map((c) => `${q(c.databaseName)} ${this.dataSource.driver.normalizeType(c)}`);
    const updated = this.columns().filter((c) => !c.isPrimary && c.propertyName !== 'createdTime').map((c) => `${q(c.databaseName)} = EXCLUDED.${q(c.databaseName)}`);
    return (
      `INSERT INTO ${q(meta.schema as string)}.${q(meta.tableName)} (${names.join(', ')}) ` +
      `SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${types.join(', ')}) ` +
      `ON CONFLICT ("id") DO UPDATE SET ${updated.join(', ')}`
    );
  }
}
