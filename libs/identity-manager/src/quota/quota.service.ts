import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DEFAULT_QUOTAS, ErrorCode, type OrgQuotas } from '@dispatch/contracts';
import { DispatchError, InjectDataSource } from '@dispatch/platform';
import { Organization } from '../persistence/entities/organization.entity';
import { Quota } from '../persistence/entities/quota.entity';

/** Per-org limits. Usage is reported by the services that own each resource. */
@Injectable()
export class QuotasService {
  constructor(@InjectDataSource('identity') private readonly dataSource: DataSource) {}

  async of(org: string): Promise<OrgQuotas> {
    const row = await this.dataSource.getRepository(Quota).findOneBy({ org });
    return row ? { maxFunctions: row.maxFunctions, maxConcurrentRuns: row.maxConcurrentRuns, maxEventsPerSecond: row.maxEventsPerSecond } : { ...DEFAULT_QUOTAS };
  }

  /** Sets some limits of `org`; the others keep their current values. */
  async set(org: string, limits: Partial<OrgQuotas>): Promise<OrgQuotas> {
    if (!(await this.dataSource.getRepository(Organization).existsBy({ name: org }))) {
      throw new DispatchError(ErrorCode.ORGANIZATION_NOT_FOUND, `organization "${org}" not found`);
    }
    const next = { ...(await this.of(org)), ...limits };
    await this.dataSource.getRepository(Quota).upsert({ org, ...next }, ['org']);
    return next;
  }
}
