import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { InjectDataSource } from '@dispatch/platform';
import { Run } from '../persistence/entities/run.entity';

/** How long a blocking run may go unrecorded: past it, its RUNNING record is written so it is visible. */
export const RECORD_RUNNING_AFTER_MS = 1000;

/** The run table's columns and the Run property each holds. */
const PROPERTY_OF = {
  id: 'id',
  org: 'org',
  function_name: 'functionName',
  function_id: 'functionId',
  version: 'version',
  status: 'status',
  blocking: 'blocking',
  input: 'input',
  output: 'output',
  error: 'error',
  logs: 'logs',
  secrets: 'secrets',
  trigger: 'trigger',
  memory_mb: 'memoryMb',
  created_time: 'createdTime',
  started_time: 'startedTime',
  finished_time: 'finishedTime',
  deadline: 'deadline',
} as const satisfies Record<string, keyof Run>;

type Column = keyof typeof PROPERTY_OF;
const COLUMNS = Object.keys(PROPERTY_OF) as Column[];
const UPDATED = COLUMNS.filter((c) => c !== 'id' && c !== 'created_time');
// The statement around the rows never changes: built once.
const INSERT_HEAD = `INSERT INTO "functions"."run" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES `;
const UPSERT_TAIL = ` ON CONFLICT ("id") DO UPDATE SET ${UPDATED.map((c) => `"${c}" = EXCLUDED."${c}"`).join(', ')}`;

const MAX_BATCH = 1000;
const JSON_COLUMNS = new Set(['input', 'output', 'error', 'logs', 'secrets', 'trigger']);

interface Pending {
  run: Run;
  done: Array<{ resolve(): void; reject(err: unknown): void }>;
}

/**
 * Writes run records with group commit: whatever is waiting when the previous write returns goes
 * into one multi-row upsert. An idle recorder writes at once (one round trip); a loaded one writes
 * hundreds of runs per statement, so recording never becomes the bottleneck of blocking runs.
 * Later writes of one run replace earlier ones still waiting; `save` resolves once the record is
 * committed, and until then `pending` serves it to this process's readers.
 */
@Injectable()
export class RunRecorder implements OnApplicationShutdown {
  private waiting = new Map<string, Pending>();
  /** The batch being written. */
  private writingNow = new Map<string, Run>();
  private writing: Promise<void> | undefined;
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
    while (this.waiting.size) {
      // PostgreSQL takes at most 65 535 parameters per statement: 18 per run.
      const batch = [...this.waiting.values()].slice(0, MAX_BATCH);
      for (const p of batch) this.waiting.delete(p.run.id);
      this.writingNow = new Map(batch.map((p) => [p.run.id, p.run]));
      try {
        await this.write(batch.map((p) => p.run));
        for (const p of batch) for (const d of p.done) d.resolve();
      } catch (err) {
        for (const p of batch) for (const d of p.done) d.reject(err);
      } finally {
        this.writingNow = new Map();
      }
    }
    this.writing = undefined;
  }

  private async write(runs: Run[]): Promise<void> {
    const params: unknown[] = [];
    const rows = runs.map((run) => {
      const values = COLUMNS.map((column) => {
        const value = valueOf(run, column);
        params.push(JSON_COLUMNS.has(column) && value !== null && value !== undefined ? JSON.stringify(value) : (value ?? null));
        return `$${params.length}`;
      });
      return `(${values.join(', ')})`;
    });
    await this.dataSource.query(INSERT_HEAD + rows.join(', ') + UPSERT_TAIL, params);
  }
}

function valueOf(run: Run, column: Column): unknown {
  return run[PROPERTY_OF[column]];
}
