import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/*
 * Constraint and index names are fixed (not TypeORM's hashed defaults) so the hand-written
 * migration in outbox-table.migration.ts can match them exactly; the drift check compares by name.
 */
export const OUTBOX_TABLE = 'outbox';
export const OUTBOX_PK = 'outbox_pkey';
export const OUTBOX_ID_UNIQUE = 'outbox_id_key';
export const OUTBOX_UNPUBLISHED_INDEX = 'outbox_unpublished_idx';
export const OUTBOX_PUBLISHED_AT_INDEX = 'outbox_published_at_idx';

/**
 * An event written in the same transaction as the state change it describes, published to the
 * bus afterwards by OutboxRelay. Lives in the owning service's schema.
 */
@Entity({ name: OUTBOX_TABLE })
@Unique(OUTBOX_ID_UNIQUE, ['id'])
// The relay's scan: unpublished rows in commit order. Partial, so it stays as small as the backlog.
@Index(OUTBOX_UNPUBLISHED_INDEX, ['seq'], { where: '"published_at" IS NULL' })
// Retention clean-up deletes by publication time.
@Index(OUTBOX_PUBLISHED_AT_INDEX, ['publishedAt'], { where: '"published_at" IS NOT NULL' })
export class OutboxRecord {
  /** Publication order. bigint comes back from pg as a string. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: OUTBOX_PK })
  seq!: string;

  /** Bus message id: consumers and the bus de-duplicate redeliveries by it. */
  @Column({ type: 'uuid' }) id!: string;
  @Column({ type: 'text' }) subject!: string;
  @Column({ type: 'jsonb' }) payload!: unknown;
  @Column({ type: 'jsonb', nullable: true }) headers!: Record<string, string> | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true }) publishedAt!: Date | null;
}
