import { Injectable } from '@nestjs/common';
import type { DataSource, Repository } from 'typeorm';
import type { OrgQuotas } from '@dispatch/contracts';
import { OrgScopedRepository } from '@dispatch/persistence';
import { InjectDataSource } from '@dispatch/platform';
import { Quota } from './quota.entity';

/** Each org's limits where they differ from the defaults: one row per org, keyed by it. */
@Injectable()
export class QuotaRepository extends OrgScopedRepository<Quota> {
  private readonly quotas: Repository<Quota>;

  constructor(@InjectDataSource('identity') dataSource: DataSource) {
    const rows = dataSource.getRepository(Quota);
    super(rows);
    this.quotas = rows;
  }

  async of(org: string): Promise<Quota | null> {
    return this.findOne(org, {});
  }

  /** Writes all of the org's limits, whether it had a row or not; the org is the row's key. */
  async set(org: string, limits: OrgQuotas): Promise<void> {
    if (!org) throw new Error('an org-scoped repository was called without an org');
    // One statement: two first settings of the same org cannot collide on the key.
    await this.quotas.upsert({ ...limits, org }, ['org']);
  }
}
