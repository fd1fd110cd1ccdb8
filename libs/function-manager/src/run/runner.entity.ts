import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A function-manager process that runs functions, alive while its heartbeat is fresh. A run in
 * progress names its runner, so a run is given up as lost only when that process is really gone
 * (its heartbeat stopped), never because the run is old.
 */
@Entity({ name: 'runner' })
export class Runner {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'text' }) host!: string;
  @Column({ type: 'int' }) pid!: number;
  @Column({ name: 'started_time', type: 'timestamptz' }) startedTime!: Date;
  @Column({ name: 'heartbeat_time', type: 'timestamptz' }) heartbeatTime!: Date;
}
