import type { EntityManager } from 'typeorm';
import { OrgScopedRepository } from '@dispatch/persistence';
import { FunctionVersion, VersionStatus } from './version.entity';

/** Statuses of a version that still is, or may yet be, on the provider. */
const LIVE = [VersionStatus.CREATING, VersionStatus.READY, VersionStatus.RETIRING];

/**
 * The versions of an org's functions, through one manager (the data source's, or a transaction's).
 * The deployer's loop works across orgs: its methods say so in their names.
 */
export class VersionRepository extends OrgScopedRepository<FunctionVersion> {
  constructor(manager: EntityManager) {
    super(manager.getRepository(FunctionVersion));
  }

  /** Adds a new version of a function; resolves with it as stored (its id). */
  add(fields: Omit<FunctionVersion, 'id' | 'createdTime' | 'modifiedTime'>): Promise<FunctionVersion> {
    if (!fields.org) throw new Error('a function version was added without its org');
    return this.acrossOrgs.save(this.acrossOrgs.create(fields));
  }

  byVersion(org: string, functionId: string, version: number): Promise<FunctionVersion | null> {
    return this.findOne(org, { functionId, version });
  }

  ofFunction(org: string, functionId: string): Promise<FunctionVersion[]> {
    return this.findMany(org, { functionId });
  }

  /** Newest first, one more than `limit`, below version `before`. */
  page(org: string, functionId: string, before: number | undefined, limit: number): Promise<FunctionVersion[]> {
    const q = this.select(org, 'v').andWhere('v.functionId = :id', { id: functionId });
    if (before !== undefined) q.andWhere('v.version < :before', { before });
    return q
      .orderBy('v.version', 'DESC')
      .take(limit + 1)
      .getMany();
  }

  async setStatus(org: string, id: string, status: VersionStatus, reason?: string[]): Promise<void> {
    await this.update(org, { id }, reason === undefined ? { status } : { status, reason });
  }

  async setImage(org: string, id: string, image: string): Promise<void> {
    await this.update(org, { id }, { image });
  }

  /** How many versions of the function are still, or may yet be, on the provider. */
  countLive(org: string, functionId: string): Promise<number> {
    return this.select(org, 'v').andWhere('v.functionId = :id AND v.status IN (:...s)', { id: functionId, s: LIVE }).getCount();
  }

  async removeOfFunction(org: string, functionId: string): Promise<void> {
    await this.delete(org, { functionId });
  }

  /** Across every org: the versions the deployer has work on (being created, or being retired). */
  async pendingIdsAcrossOrgs(): Promise<string[]> {
    const rows = await this.acrossOrgs
      .createQueryBuilder('v')
      .select('v.id')
      .where('v.status IN (:...s)', { s: [VersionStatus.CREATING, VersionStatus.RETIRING] })
      .getMany();
    return rows.map((v) => v.id);
  }

  /** Across every org: the versions serving now, which the provider must have. */
  servingAcrossOrgs(): Promise<FunctionVersion[]> {
    return this.acrossOrgs.findBy({ status: VersionStatus.READY });
  }

  /** Across every org: the deployer's loop knows a version only by its id. */
  byIdAcrossOrgs(id: string): Promise<FunctionVersion | null> {
    return this.acrossOrgs.findOneBy({ id });
  }
}
