import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { FunctionLogs, RunError, RunStatus } from '@dispatch/contracts';
import { JsonListColumn, OrgColumn } from '@dispatch/persistence';

export interface RunTrigger {
  kind: 'api' | 'gateway' | 'event';
  /** The request id, the gateway request or the event id that caused the run. */
  id?: string;
  subject?: string;
}

/** One call of a function (DESIGN §6): what went in, what came out, its logs and timings. */
@Entity({ name: 'run' })
@Index('run_by_function', ['org', 'functionName', 'createdTime'])
@Index('run_by_org', ['org', 'createdTime'])
// Only unfinished runs are looked up by deadline (the janitor) and queued ones oldest first per
// function (the run queue): finished ones, nearly all of them, stay out of these indexes.
@Index('run_unfinished', ['deadline'], { where: `"status" IN ('INITIALIZED', 'RUNNING')` })
@Index('run_queued', ['org', 'functionName', 'createdTime'], { where: `"status" = 'INITIALIZED'` })
export class Run {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @OrgColumn() org!: string;
  @Column({ name: 'function_name', type: 'text' }) functionName!: string;
  @Column({ name: 'function_id', type: 'uuid' }) functionId!: string;
  @Column({ type: 'int' }) version!: number;
  @Column({ type: 'text' }) status!: RunStatus;
  @Column({ type: 'boolean' }) blocking!: boolean;
  @Column({ type: 'jsonb', nullable: true }) input!: unknown;
  @Column({ type: 'jsonb', nullable: true }) output!: unknown;
  @Column({ type: 'jsonb', nullable: true }) error!: RunError | null;
  @Column({ type: 'jsonb', nullable: true }) logs!: FunctionLogs | null;

  /** Names of secrets the run asked for on top of the function's (never their values). */
  @JsonListColumn() secrets!: string[];

  @Column({ type: 'jsonb' }) trigger!: RunTrigger;
  @Column({ name: 'memory_mb', type: 'int' }) memoryMb!: number;
  @Column({ name: 'created_time', type: 'timestamptz' }) createdTime!: Date;
  @Column({ name: 'started_time', type: 'timestamptz', nullable: true }) startedTime!: Date | null;
  @Column({ name: 'finished_time', type: 'timestamptz', nullable: true }) finishedTime!: Date | null;

  /** When the run must have ended: its timeout plus grace, from when it started (or was queued). */
  @Column({ type: 'timestamptz' }) deadline!: Date;

  /** The process running it (a Runner), from the moment it started; null while queued. */
  @Column({ name: 'runner_id', type: 'uuid', nullable: true }) runnerId!: string | null;
}
