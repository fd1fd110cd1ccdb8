import { Column, CreateDateColumn, UpdateDateColumn } from 'typeorm';

/*
 * The columns many tables share, named once so every table declares them alike (and a migration
 * generated from any entity spells them the same SQL).
 */

/** The tenant a row belongs to: the column OrgScopedRepository ANDs into every query. */
export const OrgColumn = (): PropertyDecorator => Column({ type: 'text' });

/** When the row was inserted (`DEFAULT now()`). */
export const CreatedTimeColumn = (): PropertyDecorator => CreateDateColumn({ name: 'created_time', type: 'timestamptz' });

/** When the row was last saved; TypeORM sets it on every save. */
export const ModifiedTimeColumn = (): PropertyDecorator => UpdateDateColumn({ name: 'modified_time', type: 'timestamptz' });

/** A JSON array that starts empty (`reason`, `tags`, a run's secret names). */
export const JsonListColumn = (): PropertyDecorator => Column({ type: 'jsonb', default: () => "'[]'" });

/** A bigint counter read as a number: pg hands bigint back as a string, and a count stays far below 2^53. */
export const BigintCountColumn = (): PropertyDecorator =>
  Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } });
