import type { EntityManager } from 'typeorm';
import { OrgScopedRepository } from '@dispatch/persistence';
import { FunctionRecord } from './function.entity';

/** The functions of an org, read and written through one manager (the data source's, or a transaction's). */
export class FunctionRepository extends OrgScopedRepository<FunctionRecord> {
  constructor(manager: EntityManager) {
    super(manager.getRepository(FunctionRecord));
  }

  count(org: string): Promise<number> {
    return this.select(org, 'f').getCount();
  }

  byName(org: string, name: string): Promise<FunctionRecord | null> {
    return this.findOne(org, { name });
  }

  byId(org: string, id: string): Promise<FunctionRecord | null> {
    return this.findOne(org, { id });
  }

  /** The function, locked until the transaction ends: its changes are made one at a time. */
  lockedByName(org: string, name: string): Promise<FunctionRecord | null> {
    return this.select(org, 'f').andWhere('f.name = :name', { name }).setLock('pessimistic_write').getOne();
  }

  lockedById(org: string, id: string): Promise<FunctionRecord | null> {
    return this.select(org, 'f').andWhere('f.id = :id', { id }).setLock('pessimistic_write').getOne();
  }

  /** By name, one more than `limit` (so the caller knows whether another page follows), after the name `after`. */
  page(org: string, after: string | undefined, limit: number): Promise<FunctionRecord[]> {
    const q = this.select(org, 'f');
    if (after !== undefined) q.andWhere('f.name > :after', { after });
    return q
      .orderBy('f.name', 'ASC')
      .take(limit + 1)
      .getMany();
  }

  /** Inserts a new function, or writes the changes of one read before; resolves with its stored state. */
  override save(record: FunctionRecord): Promise<FunctionRecord> {
    return super.save(record);
  }

  /** A new record with the entity's defaults; every read and write goes through the org-scoped base. */
  build(fields: Partial<FunctionRecord>): FunctionRecord {
    return this.acrossOrgs.create(fields);
  }

  async remove(org: string, id: string): Promise<void> {
    await this.delete(org, { id });
  }
}
