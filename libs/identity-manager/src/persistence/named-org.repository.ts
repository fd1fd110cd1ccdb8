import type { DataSource, EntityManager, FindOptionsWhere, Repository } from 'typeorm';
import { type ErrorCode } from '@dispatch/contracts';
import { type OrgEntity, OrgScopedRepository } from '@dispatch/persistence';
import type { PageRequest } from '@dispatch/platform';
import { notFound } from '../iam-errors';

/**
 * Where a repository reads its rows: the data source, or the manager of a transaction in progress
 * (the authorization state changes only in transactions that also bump its revision).
 */
export type RowSource = DataSource | EntityManager;

/**
 * The rows every IAM collection has in common: named entities of one org, paged by name. Each
 * method takes the org, and the base ANDs it into every condition; a name the org does not have
 * is NOT_FOUND, said as `<kind> "<name>" not found`.
 */
export abstract class NamedOrgRepository<T extends OrgEntity> extends OrgScopedRepository<T> {
  protected constructor(
    rows: Repository<T>,
    /** What the API calls one row, in not-found answers. */
    private readonly kind: string,
    private readonly notFoundCode?: ErrorCode,
  ) {
    super(rows);
  }

  /** One page of the org's rows by name, plus one row to tell whether more follow. */
  async page(org: string, page: PageRequest): Promise<T[]> {
    const q = this.select(org, 'e');
    if (page.after !== undefined) q.andWhere('e.name > :after', { after: page.after });
    return q
      .orderBy('e.name', 'ASC')
      .limit(page.limit + 1)
      .getMany();
  }

  async byName(org: string, name: string): Promise<T | null> {
    return this.findOne(org, { name } as FindOptionsWhere<T>);
  }

  /** The org's row `name`; NOT_FOUND when it has none. */
  async get(org: string, name: string): Promise<T> {
    const row = await this.byName(org, name);
    if (!row) throw notFound(this.kind, name, this.notFoundCode);
    return row;
  }

  /** The org's row `name`, locked for the rest of the transaction it is read in; NOT_FOUND when it has none. */
  async lock(org: string, name: string): Promise<T> {
    const row = await this.findOneForUpdate(org, { name } as FindOptionsWhere<T>);
    if (!row) throw notFound(this.kind, name, this.notFoundCode);
    return row;
  }

  /** Inserts or updates `row` in its own org; resolves it as stored. */
  async put(row: T): Promise<T> {
    return this.save(row);
  }

  async remove(row: T): Promise<void> {
    await this.delete(row.org, { id: row.id } as FindOptionsWhere<T>);
  }

  /** Deletes the org's row `name` once it holds it locked; NOT_FOUND when it has none. */
  async removeNamed(org: string, name: string): Promise<void> {
    await this.remove(await this.lock(org, name));
  }

  /** Deletes every row of the org: what goes with the org itself. */
  async removeAll(org: string): Promise<void> {
    await this.delete(org, {});
  }
}
