import type { Pool, PoolClient } from 'pg';
import { subjectMatches } from '../subject-match';

export interface ClaimedDelivery {
  seq: string;
  attempts: number;
  /** `dead` when the row had used up its deliveries: it is given up instead of handed out. */
  state: 'inflight' | 'dead';
  subject: string;
  payload: unknown;
  headers: Record<string, string>;
  msgId: string | null;
}

interface ClaimRow {
  seq: string;
  attempts: number;
  state: 'inflight' | 'dead';
  subject: string;
  payload: unknown;
  absent: boolean;
  headers: Record<string, string>;
  msg_id: string | null;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** The reason of a delivery given up at claim time: its handler never settled it within its max deliveries. */
export const NEVER_ACKED = 'never acknowledged within its max deliveries';

/** All SQL of the solo-mode bus. Every ack/nak is fenced by `attempts` so a late settlement of a delivery that timed out and went to someone else changes nothing. */
export class DeliveryStore {
  private readonly message: string;
  private readonly consumer: string;
  private readonly delivery: string;

  constructor(
    private readonly pool: Pool,
    readonly schema: string,
  ) {
    if (!IDENTIFIER.test(schema)) throw new Error(`invalid bus schema name "${schema}"`);
    this.message = `"${schema}"."message"`;
    this.consumer = `"${schema}"."consumer"`;
    this.delivery = `"${schema}"."delivery"`;
  }

  async assertSchema(): Promise<void> {
    const { rows } = await this.pool.query<{ ok: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS ok`, [this.delivery]);
    if (!rows[0]?.ok) throw new Error(`bus tables are missing in schema "${this.schema}": run busMigrations first`);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  /**
   * Stores the message and one delivery per matching consumer atomically, so a consumer either
   * sees the message or the publish failed. Resolves false when `msgId` was seen before.
   */
  async publish(subject: string, data: unknown, headers: Record<string, string>, msgId: string | undefined): Promise<boolean> {
    const payload = data === undefined ? null : JSON.stringify(data);
    return this.transaction(async (client) => {
      const inserted = await client.query<{ seq: string }>(
        `INSERT INTO ${this.message} ("subject", "payload", "headers", "msg_id") VALUES ($1, $2::jsonb, $3::jsonb, $4)
         ON CONFLICT ("msg_id") DO NOTHING RETURNING "seq"`,
        [subject, payload, JSON.stringify(headers), msgId ?? null],
      );
      const seq = inserted.rows[0]?.seq;
      if (seq === undefined) return false;
      const consumers = await client.query<{ name: string; filter: string }>(`SELECT "name", "filter" FROM ${this.consumer}`);
      const names = consumers.rows.filter((c) => subjectMatches(c.filter, subject)).map((c) => c.name);
      if (names.length > 0) {
        await client.query(`INSERT INTO ${this.delivery} ("consumer", "seq") SELECT unnest($1::text[]), $2::bigint`, [names, seq]);
      }
      return true;
    });
  }

  /** Creates the durable on first use; later subscribers only refresh its settings, never its cursor. */
  async ensureConsumer(name: string, filter: string, ackWaitMs: number, maxDeliver: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.consumer} ("name", "filter", "ack_wait_ms", "max_deliver") VALUES ($1, $2, $3, $4)
       ON CONFLICT ("name") DO UPDATE SET "ack_wait_ms" = EXCLUDED."ack_wait_ms", "max_deliver" = EXCLUDED."max_deliver"`,
      [name, filter, ackWaitMs, maxDeliver],
    );
  }

  /**
   * Takes up to `limit` of the oldest visible live rows of the consumer, oldest first. SKIP LOCKED
   * keeps two members from taking the same row; an in-flight row whose ack wait ran out is visible
   * again, which is the ack-timeout redelivery.
   */
  async claim(consumer: string, ackWaitMs: number, maxDeliver: number, limit = 1): Promise<ClaimedDelivery[]> {
    const { rows } = await this.pool.query<ClaimRow>(
      `WITH candidate AS (
         SELECT "consumer", "seq" FROM ${this.delivery}
         WHERE "consumer" = $1 AND "state" IN ('pending', 'inflight') AND "visible_at" <= now()
         ORDER BY "seq" LIMIT $4
         FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE ${this.delivery} d SET
           "state" = CASE WHEN d."attempts" >= $3::int THEN 'dead' ELSE 'inflight' END,
           "attempts" = CASE WHEN d."attempts" >= $3::int THEN d."attempts" ELSE d."attempts" + 1 END,
           "visible_at" = CASE WHEN d."attempts" >= $3::int THEN now() ELSE now() + $2::int * interval '1 millisecond' END,
           "reason" = CASE WHEN d."attempts" >= $3::int THEN $5 ELSE d."reason" END
         FROM candidate c WHERE d."consumer" = c."consumer" AND d."seq" = c."seq"
         RETURNING d."seq", d."attempts", d."state"
       )
       SELECT claimed."seq", claimed."attempts", claimed."state", m."subject", m."payload", m."payload" IS NULL AS "absent",
              m."headers", m."msg_id"
       FROM claimed JOIN ${this.message} m ON m."seq" = claimed."seq"
       ORDER BY claimed."seq"`,
      [consumer, Math.round(ackWaitMs), maxDeliver, limit, NEVER_ACKED],
    );
    return rows.map((row) => ({
      seq: row.seq,
      attempts: row.attempts,
      state: row.state,
      subject: row.subject,
      payload: row.absent ? undefined : row.payload,
      headers: row.headers,
      msgId: row.msg_id,
    }));
  }

  /** Milliseconds until the consumer's next live row becomes claimable; undefined when it has none. */
  async msUntilNextVisible(consumer: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ ms: number | null }>(
      // GREATEST ignores NULL: without the CASE, a consumer with no rows would be told 0 ms and spin.
      `SELECT CASE WHEN min("visible_at") IS NULL THEN NULL
                   ELSE GREATEST(0, CEIL(EXTRACT(EPOCH FROM min("visible_at") - now()) * 1000)) END::float8 AS "ms"
       FROM ${this.delivery} WHERE "consumer" = $1 AND "state" IN ('pending', 'inflight')`,
      [consumer],
    );
    return rows[0]?.ms ?? undefined;
  }

  async ack(consumer: string, seq: string, attempts: number): Promise<void> {
    await this.pool.query(
      `DELETE FROM ${this.delivery} WHERE "consumer" = $1 AND "seq" = $2 AND "attempts" = $3 AND "state" = 'inflight'`,
      [consumer, seq, attempts],
    );
  }

  async nak(consumer: string, seq: string, attempts: number, delayMs: number): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.delivery} SET "state" = 'pending', "visible_at" = now() + $4::int * interval '1 millisecond'
       WHERE "consumer" = $1 AND "seq" = $2 AND "attempts" = $3 AND "state" = 'inflight'`,
      [consumer, seq, attempts, Math.round(delayMs)],
    );
  }

  /** Restarts the ack wait of a delivery still in hand. */
  async extend(consumer: string, seq: string, attempts: number, ackWaitMs: number): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.delivery} SET "visible_at" = now() + $4::int * interval '1 millisecond'
       WHERE "consumer" = $1 AND "seq" = $2 AND "attempts" = $3 AND "state" = 'inflight'`,
      [consumer, seq, attempts, Math.round(ackWaitMs)],
    );
  }

  /** Dead rows stay in the table, with `reason`, as the dead-letter record until {@link sweep} removes them. */
  async kill(consumer: string, seq: string, attempts: number, reason: string): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.delivery} SET "state" = 'dead', "visible_at" = now(), "reason" = $4
       WHERE "consumer" = $1 AND "seq" = $2 AND "attempts" = $3 AND "state" = 'inflight'`,
      [consumer, seq, attempts, reason],
    );
  }

  /**
   * Retention: deletes dead deliveries that died more than `deadRetentionMs` ago (a dead row's
   * `visible_at` is when it died), then messages published more than `retentionMs` ago that no
   * delivery row refers to any more: delivered to every consumer, or to none. A message with a
   * live delivery stays however old it is, and so does one whose dead-letter record is kept.
   * Messages go in batches of `batchSize`, each its own statement, so no lock is held for long;
   * `more` is asked between batches and stops the sweep when it answers false.
   */
  async sweep(
    retentionMs: number,
    deadRetentionMs: number,
    options: { batchSize?: number; more?: () => boolean } = {},
  ): Promise<{ messages: number; deadDeliveries: number }> {
    const { batchSize = 1_000, more = () => true } = options;
    const dead = await this.pool.query(
      `DELETE FROM ${this.delivery} WHERE "state" = 'dead' AND "visible_at" < now() - $1::float8 * interval '1 millisecond'`,
      [deadRetentionMs],
    );
    let messages = 0;
    while (more()) {
      // NOT EXISTS probes the delivery_seq index once per candidate.
      const { rowCount } = await this.pool.query(
        `DELETE FROM ${this.message} WHERE "seq" IN (
           SELECT m."seq" FROM ${this.message} m
           WHERE m."published_at" < now() - $1::float8 * interval '1 millisecond'
             AND NOT EXISTS (SELECT 1 FROM ${this.delivery} d WHERE d."seq" = m."seq")
           ORDER BY m."seq" LIMIT $2
         )`,
        [retentionMs, batchSize],
      );
      messages += rowCount ?? 0;
      if ((rowCount ?? 0) < batchSize) break;
    }
    return { messages, deadDeliveries: dead.rowCount ?? 0 };
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // A checked-out client whose connection drops emits 'error' outside any query; unheard, it
    // would crash the process. The query in progress fails on its own, and the client is released broken.
    const onError = (err: Error) => (broken = err);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw err;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }
}
