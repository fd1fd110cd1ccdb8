import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Schema of the solo-mode bus. Fixed rather than taken from the DataSource so the tables always
 * land where `InProcessBus` looks for them by default, whichever runner applies the migration.
 */
export const BUS_SCHEMA = 'bus';

const S = `"${BUS_SCHEMA}"`;

/**
 * message: the log, one row per accepted publish. msg_id de-duplicates for as long as the row is
 * kept: InProcessBus's retention sweep deletes it once no delivery refers to it and it is older
 * than `retentionMs` (default 24 h), a window far wider than JetStream's.
 * consumer: one row per durable (group + filter).
 * delivery: the outstanding work of each consumer. A publish adds one row per matching consumer
 * in its own transaction; an ack deletes the row, so what remains is pending, in-flight or dead.
 */
export class BusInit1732350000000 implements MigrationInterface {
  name = 'BusInit1732350000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS ${S}`);
    await queryRunner.query(`
      CREATE TABLE ${S}."message" (
        "seq" bigserial PRIMARY KEY,
        "subject" text NOT NULL,
        "payload" jsonb,
        "headers" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "msg_id" text UNIQUE,
        "published_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ${S}."consumer" (
        "name" text PRIMARY KEY,
        "filter" text NOT NULL,
        "ack_wait_ms" integer NOT NULL CHECK ("ack_wait_ms" > 0),
        "max_deliver" integer NOT NULL CHECK ("max_deliver" > 0),
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ${S}."delivery" (
        "consumer" text NOT NULL REFERENCES ${S}."consumer" ("name") ON DELETE CASCADE,
        "seq" bigint NOT NULL REFERENCES ${S}."message" ("seq") ON DELETE CASCADE,
        "attempts" integer NOT NULL DEFAULT 0,
        "state" text NOT NULL DEFAULT 'pending' CHECK ("state" IN ('pending', 'inflight', 'dead')),
        "visible_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("consumer", "seq")
      )`);
    // Claims scan a consumer's live rows in publish order; dead rows stay out of the way.
    await queryRunner.query(
      `CREATE INDEX "delivery_live_by_seq" ON ${S}."delivery" ("consumer", "seq") WHERE "state" IN ('pending', 'inflight')`,
    );
    // An idle member sleeps until the earliest live row becomes visible.
    await queryRunner.query(
      `CREATE INDEX "delivery_live_by_visible_at" ON ${S}."delivery" ("consumer", "visible_at") WHERE "state" IN ('pending', 'inflight')`,
    );
    // Keeps pruning old messages (cascading to deliveries) from scanning the whole table.
    await queryRunner.query(`CREATE INDEX "delivery_seq" ON ${S}."delivery" ("seq")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}."delivery"`);
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}."consumer"`);
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}."message"`);
  }
}

/** Why a dead delivery died, so the dead-letter record says it as JetStream's termination advisory does. */
export class BusDeadReason1796700000000 implements MigrationInterface {
  name = 'BusDeadReason1796700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${S}."delivery" ADD COLUMN "reason" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${S}."delivery" DROP COLUMN "reason"`);
  }
}

/** Migrations of the bus schema, in order, for the platform's migration runner. */
export const busMigrations = [BusInit1732350000000, BusDeadReason1796700000000];
