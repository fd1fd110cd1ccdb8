import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ModifiedTimeColumn } from '@dispatch/persistence';

/** An org's limits, when they differ from the defaults; no row means the defaults. */
@Entity({ name: 'quota' })
export class Quota {
  @PrimaryColumn({ type: 'text' }) org!: string;
  @Column({ name: 'max_functions', type: 'int' }) maxFunctions!: number;
  @Column({ name: 'max_concurrent_runs', type: 'int' }) maxConcurrentRuns!: number;
  @Column({ name: 'max_events_per_second', type: 'int' }) maxEventsPerSecond!: number;
  @ModifiedTimeColumn() modifiedTime!: Date;
}
