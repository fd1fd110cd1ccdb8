import type { FindOptionsWhere, ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/** What an org-owned row has: the org it belongs to. */
export interface OrgOwned extends ObjectLiteral {
  org: string;
}

/**
 * The base of every service's repository of org-owned rows: no read, update or delete can be
 * written without naming the org, so one tenant's request never reaches another's rows, whatever
 * the caller forgets. The org is checked non-empty and always ANDed into the condition; the
 * TypeORM repository itself stays private to the subclass's own methods.
 */
export abstract class OrgScopedRepository<T extends OrgOwned> {
  protected constructor(private readonly rows: Repository<T>) {}

  protected async findOne(org: string, where: FindOptionsWhere<T>): Promise<T | null> {
    return this.rows.findOneBy(this.scoped(org, where));
  }

  /**
   * The org's row matching `where`, locked until the surrounding transaction ends, so a
   * read-check-write cannot interleave with another writer; only inside a transaction.
   */
  protected async findOneForUpdate(org: string, where: FindOptionsWhere<T>): Promise<T | null> {
    return this.rows.findOne({ where: this.scoped(org, where), lock: { mode: 'pessimistic_write' } });
  }

  protected async findMany(org: string, where: FindOptionsWhere<T>): Promise<T[]> {
    return this.rows.findBy(this.scoped(org, where));
  }

  /** A query over the org's rows only, as `alias`, for lists with filters and pages. */
  protected select(org: string, alias: string): SelectQueryBuilder<T> {
    return this.rows.createQueryBuilder(alias).where(`${alias}.org = :scopeOrg`, { scopeOrg: orgOf(org) });
  }

  /** Inserts rows that each name their org. */
  protected async insert(...entities: T[]): Promise<void> {
    for (const e of entities) orgOf(e.org);
    await this.rows.insert(entities as QueryDeepPartialEntity<T>[]);
  }

  /**
   * Inserts or updates a row that names its org, and resolves it with what the database
   * generated (id, times): what an answer shows of a row just written.
   */
  protected async save(entity: T): Promise<T> {
    const org = orgOf(entity.org);
    // TypeORM finds the row to update by its key alone: a key of another org's row must not move
    // that row into this org.
    const key = this.rows.metadata.getEntityIdMap(entity);
    if (key) {
      const stored = await this.rows.findOneBy(key as FindOptionsWhere<T>);
      if (stored && stored.org !== org) throw new Error("an org-scoped repository was asked to save over another org's row");
    }
    return this.rows.save(entity);
  }

  /**
   * Inserts a row that names its org, or updates the row it collides with on `conflictPaths` (a
   * key that includes the org), in one statement: two writers of the same key cannot both insert.
   */
  protected async upsert(entity: T, conflictPaths: (keyof T & string)[]): Promise<void> {
    orgOf(entity.org);
    // The collision is found by `conflictPaths` alone: without the org among them, a row of
    // another org could be the one updated.
    if (!conflictPaths.includes('org')) throw new Error('an org-scoped upsert must collide on a key that includes org');
    await this.rows.upsert(entity as QueryDeepPartialEntity<T>, conflictPaths);
  }

  /** Updates the org's rows matching `where`; resolves how many changed. */
  protected async update(org: string, where: FindOptionsWhere<T>, changes: QueryDeepPartialEntity<T>): Promise<number> {
    return (await this.rows.update(this.scoped(org, where), changes)).affected ?? 0;
  }

  /** Deletes the org's rows matching `where`; resolves how many went. */
  protected async delete(org: string, where: FindOptionsWhere<T>): Promise<number> {
    return (await this.rows.delete(this.scoped(org, where))).affected ?? 0;
  }

  /**
   * The TypeORM repository itself, over every org's rows: only for what cannot name one org (a
   * loop's work across orgs, in methods that say so in their names) and to build a new entity
   * with its defaults. Everything else goes through the scoped methods above.
   */
  protected get acrossOrgs(): Repository<T> {
    return this.rows;
  }

  private scoped(org: string, where: FindOptionsWhere<T>): FindOptionsWhere<T> {
    return { ...where, org: orgOf(org) } as FindOptionsWhere<T>;
  }
}

function orgOf(org: string): string {
  if (typeof org !== 'string' || org.length === 0) throw new Error('an org-scoped repository was called without an org');
  return org;
}
