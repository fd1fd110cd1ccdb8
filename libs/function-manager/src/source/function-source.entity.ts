import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CreatedTimeColumn } from '@dispatch/persistence';

/**
 * A function's source as a canonical tar.gz, by the digest of its tree: the source of truth from
 * which images are (re)built. Versions that did not change their code share one row.
 */
@Entity({ name: 'function_source' })
export class FunctionSource {
  @PrimaryColumn({ type: 'text' }) digest!: string;
  @Column({ type: 'bytea' }) archive!: Buffer;
  @CreatedTimeColumn() createdTime!: Date;
}
