import { Column, PrimaryGeneratedColumn } from 'typeorm';
import type { EntityBase, EntityStatus, Tag } from '@dispatch/contracts';
import { CreatedTimeColumn, JsonListColumn, ModifiedTimeColumn, OrgColumn } from './columns';

/**
 * Columns every org-owned entity has (DESIGN §6). Subclasses add `@Unique(['org', 'name'])`
 * (TypeORM does not inherit table constraints) and their own columns.
 */
export abstract class OrgEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @OrgColumn() org!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', default: 'READY' }) status!: EntityStatus;
  @JsonListColumn() reason!: string[];
  @JsonListColumn() tags!: Tag[];
  @CreatedTimeColumn() createdTime!: Date;
  @ModifiedTimeColumn() modifiedTime!: Date;
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
