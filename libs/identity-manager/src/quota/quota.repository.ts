import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { OrgQuotas } from '@dispatch/contracts';
import { OrgScopedRepository } from '@dispatch/persistence';
import { InjectDataSource } from '@dispatch/platform';
import { Quota } from './quota.entity';

/** Each org's limits where they differ from the defaults: one row per org, keyed by it. */
@Injectable()
export class QuotaRepository extends OrgScopedRepository<Quota> {
  constructor(@InjectDataSource('identity') dataSource: DataSource) {
    super(dataSource.getRepository(Quota));
  }

  async of(org: string): Promise<Quota | null> {
    return this.findOne(org, {});
  }

  /** Writes all of the org's limits, whether it had a row or not. */
  async set(org: string, limits: OrgQuotas): Promise<void> {
    await this.upsert(Object.assign(new Quota(), { ...limits, org }), ['org']);
  }
}
