import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An Idempotency-Key seen on a run request: the run it started (null while the first request is
 * still running it) and a hash of the request, so a repeat is answered by that run and a
 * different request under the same key is refused.
 */
@Entity({ name: 'idempotency_key' })
export class IdempotencyKey {
  @PrimaryColumn({ type: 'text' }) org!: string;
  @PrimaryColumn({ name: 'function_name', type: 'text' }) functionName!: string;
  @PrimaryColumn({ type: 'text' }) key!: string;
  @Column({ name: 'request_hash', type: 'text' }) requestHash!: string;
  @Column({ name: 'run_id', type: 'uuid', nullable: true }) runId!: string | null;
  @Column({ name: 'created_time', type: 'timestamptz' }) createdTime!: Date;
}
