import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One audited mutation of any service's API (DESIGN §9). `id` is the event's own id (the bus
 * msgId), so a redelivered event is stored once; `request_id` is kept for correlation with logs
 * but is not unique: a client may choose its X-Request-Id.
 *
 * Lists read an org's events newest first: the (org, time, id) index is scanned backwards for
 * `ORDER BY time DESC, id DESC` (PostgreSQL walks a B-tree either way, so it serves the
 * descending order without DESC columns). `time` alone serves the retention sweep.
 */
@Entity({ name: 'audit_event' })
@Index('audit_event_org_time', ['org', 'time', 'id'])
@Index('audit_event_time', ['time'])
@Index('audit_event_request_id', ['requestId'])
export class AuditEvent {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'request_id', type: 'text' }) requestId!: string;
  @Column({ type: 'timestamptz' }) time!: Date;
  @Column({ type: 'text' }) service!: string;

  /** Null when the request was refused before a principal was verified (401). */
  @Column({ type: 'text', nullable: true }) org!: string | null;
  @Column({ type: 'text', nullable: true }) subject!: string | null;
  @Column({ name: 'subject_kind', type: 'text', nullable: true }) subjectKind!: string | null;
  @Column({ type: 'text', nullable: true }) resource!: string | null;
  @Column({ type: 'text', nullable: true }) action!: string | null;
  @Column({ type: 'text' }) method!: string;

  /** The route pattern (`/v1/iam/policies/:name`), never the URL with its values. */
  @Column({ type: 'text' }) route!: string;
  @Column({ type: 'int' }) status!: number;

  /** `allowed`, or the error code of the answer (`FORBIDDEN`, `VALIDATION_FAILED`, …). */
  @Column({ type: 'text' }) result!: string;
}
