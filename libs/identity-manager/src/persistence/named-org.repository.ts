import type { DataSource, EntityManager, FindOptionsWhere, Repository } from 'typeorm';
import { type OrgEntity, OrgScopedRepository } from '@dispatch/persistence';
import type { PageRequest } from '@dispatch/platform';

/**
 * Where a repository reads its rows: the data source, or the manager of a transaction in progress
 * (the authorization state changes only in transactions that also bump its revision).
 */
export type RowSource = DataSource | EntityManager;

/**
 * The rows every IAM collection has in common: named entities of one org, paged by name. Each
 * method takes the org, and the base ANDs it into every condition.
 */
export abstract class NamedOrgRepository<T extends OrgEntity> extends OrgScopedRepository<T> {
  protected constructor(rows: Repository<T>) {
    super(rows);
  }

  /** One page of the org's rows by name, plus one row to tell whether more follow. */
  async page(org: string, page: PageRequest): Promise<T[]> {
    const q = this.select(org, 'e');
    if (page.after !== undefined) q.andWhere('e.name > :after', { after: page.after });
    return q.orderBy('e.name', 'ASC').limit(page.limit + 1).getMany();
  }

  async byName(org: string, name: string): Promise<T | null> {
    return this.findOne(org, { name } as FindOptionsWhere<T>);
  }

  /** The org's row `name`, locked for the rest of the transaction it is read in. */
  async lockByName(org: string, name: string): Promise<T | null> {
    return this.findOneForUpdate(org, { name } as FindOptionsWhere<T>);
  }

  /** Inserts or updates `row` in its own org; resolves it as stored. */
  async put(row: T): Promise<T> {
    return this.save(row);
  }

  async remove(row: T): Promise<void> {
    await this.delete(row.org, { id: row.id } as FindOptionsWhere<T>);
  }

  /** Deletes every row of the org: what goes with the org itself. */
  async removeAll(org: string): Promise<void> {
    await this.delete(org, {});
  }
}
