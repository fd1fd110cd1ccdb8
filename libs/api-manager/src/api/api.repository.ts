import { type EntityManager, Not } from 'typeorm';
import { advisoryLockKey, OrgScopedRepository } from '@dispatch/persistence';
import { ApiRecord } from './api.entity';

/** Held while a route is taken, so two APIs written at once cannot both take the same path. */
const ROUTE_LOCK = advisoryLockKey('apis.route-keys');

/** The APIs of an org, read and written through one manager (the data source's, or a transaction's). */
export class ApiRepository extends OrgScopedRepository<ApiRecord> {
  constructor(private readonly manager: EntityManager) {
    super(manager.getRepository(ApiRecord));
  }

  byName(org: string, name: string): Promise<ApiRecord | null> {
    return this.findOne(org, { name });
  }

  /** The API, locked until the transaction ends: its changes are made one at a time. */
  lockedByName(org: string, name: string): Promise<ApiRecord | null> {
    return this.findOneForUpdate(org, { name });
  }

  /** By name, one more than `limit` (so the caller knows whether another page follows), after the name `after`. */
  page(org: string, after: string | undefined, limit: number): Promise<ApiRecord[]> {
    const q = this.select(org, 'a');
    if (after !== undefined) q.andWhere('a.name > :after', { after });
    return q
      .orderBy('a.name', 'ASC')
      .take(limit + 1)
      .getMany();
  }

  /** Every API of the org, by name. */
  all(org: string): Promise<ApiRecord[]> {
    return this.select(org, 'a').orderBy('a.name', 'ASC').getMany();
  }

  /** Serialises route takers until the transaction ends; only inside one. */
  async lockRoutes(): Promise<void> {
    await this.manager.query('SELECT pg_advisory_xact_lock($1::bigint)', [ROUTE_LOCK]);
  }

  /**
   * Across orgs, since a host and path are the gateway's and not an org's: another API (not `id`)
   * holding one of `keys`, and the keys it shares.
   */
  async routeHolderAcrossOrgs(
    keys: string[],
    id: string | undefined,
  ): Promise<{ org: string; name: string; shared: string[] } | undefined> {
    if (!keys.length) return undefined;
    const q = this.acrossOrgs.createQueryBuilder('a').where('a.route_keys && :keys::text[]', { keys });
    if (id) q.andWhere('a.id <> :id', { id });
    const holder = await q.orderBy('a.org').addOrderBy('a.name').getOne();
    return holder ? { org: holder.org, name: holder.name, shared: holder.routeKeys.filter((k) => keys.includes(k)) } : undefined;
  }

  /** Every API of every org: the gateway's whole wanted state, for the reconcile loop. */
  allAcrossOrgs(): Promise<ApiRecord[]> {
    return this.acrossOrgs.find({ order: { org: 'ASC', name: 'ASC' } });
  }

  /**
   * Sets the status and reason of the API `id` if its spec is still at `generation` (a change
   * made meanwhile is not the one the gateway was driven to) and it is not being deleted.
   */
  async setStatus(org: string, id: string, generation: number, status: ApiRecord['status'], reason: string[]): Promise<void> {
    await this.update(org, { id, generation, status: Not('DELETING') }, { status, reason });
  }

  build(fields: Partial<ApiRecord>): ApiRecord {
    return this.acrossOrgs.create(fields);
  }

  override save(record: ApiRecord): Promise<ApiRecord> {
    return super.save(record);
  }

  async remove(org: string, id: string): Promise<void> {
    await this.delete(org, { id });
  }

  /** Deletes the API `id` if it is still being deleted: a new API of the same name written since stays. */
  async removeDeleted(org: string, id: string): Promise<void> {
    await this.delete(org, { id, status: 'DELETING' });
  }
}
