import { Column, CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { EntityBase, EntityStatus, Tag } from '@dispatch/contracts';

/**
 * Columns every org-owned entity has (DESIGN §6). Subclasses add `@Unique(['org', 'name'])`
 * (TypeORM does not inherit table constraints) and their own columns.
 */
export abstract class OrgEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  org!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', default: 'READY' })
  status!: EntityStatus;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  reason!: string[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  tags!: Tag[];

  @CreateDateColumn({ name: 'created_time', type: 'timestamptz' })
  createdTime!: Date;

  @UpdateDateColumn({ name: 'modified_time', type: 'timestamptz' })
  modifiedTime!: Date;
}

/** The wire shape of an entity's common fields. */
export function entityBaseOf(e: OrgEntity): EntityBase {
  return {
    id: e.id,
    name: e.name,
    org: e.org,
    createdTime: e.createdTime.toISOString(),
    modifiedTime: e.modifiedTime.toISOString(),
    status: e.status,
    reason: e.reason,
    tags: e.tags,
  };
}
