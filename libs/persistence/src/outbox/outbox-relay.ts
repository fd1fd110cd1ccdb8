import { type RawBus, WakeableSleep } from '@dispatch/bus';
import type { DataSource, EntityManager } from 'typeorm';
import { advisoryLockKey } from '../advisory-lock-key';
import type { PersistenceLogger } from '../logger';
import { backoffDelay } from './backoff';
import { OutboxRecord } from './outbox-record.entity';

export interface OutboxRelayOptions {
  log: PersistenceLogger;
  /** How often to look for events nobody notified about. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Rows published per transaction. Default 100. */
  batchSize?: number;
  /** Published rows are deleted once older than this. Default 1 h. */
  retentionMs?: number;
  /** How often the retention clean-up runs. Default 60 s. */
  cleanupIntervalMs?: number;
  /** Longest wait between retries while the bus keeps failing. Default 30 s. */
  maxBackoffMs?: number;
  /**
   * true (default): one relay at a time publishes from a given outbox (transaction-scoped
   * advisory lock), so events reach the bus in commit order even with several replicas.
   * false: replicas drain in parallel; rows are still never published twice at once
   * (SKIP LOCKED), but two replicas may publish neighbouring events out of order.
   */
  strictOrder?: boolean;
}

interface OutboxRow {
  seq: string;
  id: string;
  subject: string;
  payload: unknown;
  headers: Record<string, string> | null;
}

interface PassResult {
  fetched: number;
  published: number;
  failure?: unknown;
}

/**
 * Publishes outbox rows to the bus in `seq` order, at least once: a row is marked published
 * only after the bus accepted it, and is published with msgId = row id so the bus drops the
 * duplicate if a crash between the two made the relay publish it again.
 */
export class OutboxRelay {
  private readonly log: PersistenceLogger;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly retentionMs: number;
  private readonly cleanupIntervalMs: number;
  private readonly maxBackoffMs: number;
  private readonly strictOrder: boolean;

  private running = false;
  private loop: Promise<void> | undefined;
  // Unref'd: a relay nobody stopped must not keep the process alive on its own.
  private readonly idle = new WakeableSleep({ unref: true });
  private notified = false;
  private failures = 0;
  private nextCleanupAt = 0;
  private table: { sql: string; lockKey: string } | undefined;

  constructor(
    private readonly dataSource: DataSource,
    /** Raw: a row's subject and payload were checked against the map when OutboxWriter.add wrote them. */
    private readonly bus: Pick<RawBus, 'publish'>,
    options: OutboxRelayOptions,
  ) {
    this.log = options.log;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.batchSize = options.batchSize ?? 100;
    this.retentionMs = options.retentionMs ?? 3_600_000;
    this.cleanupIntervalMs = options.cleanupIntervalMs ?? 60_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.strictOrder = options.strictOrder ?? true;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Resolves once the pass in progress, if any, has committed. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    this.loop = undefined;
  }

  /** Call after committing a transaction that wrote to the outbox: publishes now, not at the next poll. */
  notify(): void {
    if (!this.running) return;
    this.notified = true;
    // While backing off the bus is known to be failing: waking early would only hammer it.
    if (this.failures === 0) this.wake();
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.notified = false;
      // This pass reads the outbox anyway; `notified` carries a notification that comes during it.
      this.idle.reset();
      let result: PassResult;
      try {
        result = await this.publishBatch();
      } catch (err) {
        result = { fetched: 0, published: 0, failure: err };
      }
      if (result.failure !== undefined) {
        this.failures++;
        const retryInMs = backoffDelay(this.failures, this.pollIntervalMs, this.maxBackoffMs);
        this.log.warn(
          { err: result.failure, published: result.published, failures: this.failures, retryInMs },
          'outbox relay could not publish; unpublished events stay queued for the next pass',
        );
        // A notification during the failed pass must not cut the backoff short (stop() still does).
        this.idle.reset();
        await this.sleep(retryInMs);
        continue;
      }
      if (this.failures > 0) this.log.info({ after: this.failures }, 'outbox relay publishing again');
      this.failures = 0;
      if (result.published > 0) this.log.debug({ published: result.published }, 'published outbox events');
      await this.cleanUpIfDue();
      // A full batch means more may be waiting; a notification during the pass means new rows.
      if (result.fetched === this.batchSize || this.notified) continue;
      await this.sleep(this.pollIntervalMs);
    }
  }

  private publishBatch(): Promise<PassResult> {
    return this.dataSource.transaction(async (manager) => {
      const table = this.outboxTable();
      if (this.strictOrder && !(await this.tryLock(manager, table.lockKey))) return { fetched: 0, published: 0 };
      const rows: OutboxRow[] = await manager.query(
        `SELECT seq, id, subject, payload, headers FROM ${table.sql}
         WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      );
      const published: string[] = [];
      let failure: unknown;
      for (const row of rows) {
        if (!this.running) break;
        try {
          await this.bus.publish(row.subject, row.payload, { msgId: row.id, headers: row.headers ?? undefined });
        } catch (err) {
          // Later rows must not overtake this one: stop here and retry from it.
          failure = err ?? new Error('bus.publish rejected without a reason');
          break;
        }
        published.push(row.seq);
      }
      if (published.length > 0) {
        await manager.query(`UPDATE ${table.sql} SET published_at = now() WHERE seq = ANY($1::bigint[])`, [published]);
      }
      return { fetched: rows.length, published: published.length, failure };
    });
  }

  private async tryLock(manager: EntityManager, key: string): Promise<boolean> {
    const [row] = (await manager.query('SELECT pg_try_advisory_xact_lock($1::bigint) AS locked', [key])) as {
      locked: boolean;
    }[];
    return row?.locked === true;
  }

  private async cleanUpIfDue(): Promise<void> {
    if (Date.now() < this.nextCleanupAt) return;
    this.nextCleanupAt = Date.now() + this.cleanupIntervalMs;
    try {
      const [, deleted] = (await this.dataSource.query(
        `DELETE FROM ${this.outboxTable().sql} WHERE published_at < now() - $1::double precision * interval '1 millisecond'`,
        [this.retentionMs],
      )) as [unknown, number];
      if (deleted > 0) this.log.debug({ deleted }, 'deleted published outbox events past retention');
    } catch (err) {
      this.log.warn({ err }, 'outbox retention clean-up failed; retrying at the next interval');
    }
  }

  /** Resolved lazily: entity metadata exists only once the DataSource is initialised. */
  private outboxTable(): { sql: string; lockKey: string } {
    if (!this.table) {
      const metadata = this.dataSource.getMetadata(OutboxRecord);
      const quote = (name: string) => this.dataSource.driver.escape(name);
      const sql = metadata.schema ? `${quote(metadata.schema)}.${quote(metadata.tableName)}` : quote(metadata.tableName);
      this.table = { sql, lockKey: advisoryLockKey(`dispatch:outbox:${metadata.tablePath}`) };
    }
    return this.table;
  }

  private async sleep(ms: number): Promise<void> {
    if (this.running) await this.idle.sleep(ms);
  }

  private wake(): void {
    this.idle.wake();
  }
}
