import type { MigrationInterface, QueryRunner } from 'typeorm';
import { OUTBOX_ID_UNIQUE, OUTBOX_PK, OUTBOX_PUBLISHED_AT_INDEX, OUTBOX_TABLE, OUTBOX_UNPUBLISHED_INDEX } from './outbox-record.entity';

export type MigrationClass = new () => MigrationInterface;

/**
 * A migration creating the outbox table in `schema`, for a service to list among its own
 * migrations. The SQL is exactly what TypeORM derives from OutboxRecord (the drift check
 * holds it to that), so the entity and the table never disagree.
 *
 * TypeORM orders migrations by the 13-digit millisecond timestamp ending the class name,
 * which is `${name}${timestamp}`.
 */
export function createOutboxTableMigration(schema: string, timestamp: number, name = 'CreateOutboxTable'): MigrationClass {
  if (!Number.isSafeInteger(timestamp) || String(timestamp).length !== 13) {
    throw new Error(`migration timestamp must be 13 digits of milliseconds since the epoch, got ${timestamp}`);
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`migration name "${name}" must be an identifier`);
  const table = `${quote(schema)}.${quote(OUTBOX_TABLE)}`;
  const className = `${name}${timestamp}`;

  const migration = class implements MigrationInterface {
    name = className;

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(
        `CREATE TABLE ${table} (` +
          '"seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, ' +
          '"id" uuid NOT NULL, ' +
          '"subject" text NOT NULL, ' +
          '"payload" jsonb NOT NULL, ' +
          '"headers" jsonb, ' +
          '"created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), ' +
          '"published_at" TIMESTAMP WITH TIME ZONE, ' +
          `CONSTRAINT ${quote(OUTBOX_ID_UNIQUE)} UNIQUE ("id"), ` +
          `CONSTRAINT ${quote(OUTBOX_PK)} PRIMARY KEY ("seq"))`,
      );
      await queryRunner.query(`CREATE INDEX ${quote(OUTBOX_UNPUBLISHED_INDEX)} ON ${table} ("seq") WHERE "published_at" IS NULL`);
      await queryRunner.query(
        `CREATE INDEX ${quote(OUTBOX_PUBLISHED_AT_INDEX)} ON ${table} ("published_at") WHERE "published_at" IS NOT NULL`,
      );
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  };
  // Shown in logs and stack traces; TypeORM itself reads the instance's `name`.
  Object.defineProperty(migration, 'name', { value: className });
  return migration;
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
