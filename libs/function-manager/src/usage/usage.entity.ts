import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BigintCountColumn } from '@dispatch/persistence';

/** Runs and their cost per org and day, kept apart from runs so pruning runs keeps the bill. */
@Entity({ name: 'usage' })
export class UsageRecord {
  @PrimaryColumn({ type: 'text' }) org!: string;
  @PrimaryColumn({ type: 'date' }) day!: string;
  @BigintCountColumn() runs!: number;
  @Column({ name: 'gb_seconds', type: 'double precision' }) gbSeconds!: number;
}
