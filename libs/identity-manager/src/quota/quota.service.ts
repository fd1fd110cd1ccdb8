import { Inject, Injectable } from '@nestjs/common';
import { BUS, type Bus } from '@dispatch/bus';
import { DEFAULT_QUOTAS, ErrorCode, type FunctionUsage, type OrgQuotas } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';
import { notFound } from '../iam-errors';
import { OrganizationRepository } from '../organization/organization.repository';
import { QuotaRepository } from './quota.repository';

/** Per-org limits. Usage is reported by the services that own each resource. */
@Injectable()
export class QuotaService {
  constructor(
    private readonly quotas: QuotaRepository,
    private readonly organizations: OrganizationRepository,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  async of(org: string): Promise<OrgQuotas> {
    const row = await this.quotas.of(org);
    return row
      ? { maxFunctions: row.maxFunctions, maxConcurrentRuns: row.maxConcurrentRuns, maxEventsPerSecond: row.maxEventsPerSecond }
      : { ...DEFAULT_QUOTAS };
  }

  /** Sets some limits of `org`; the others keep their current values. */
  async set(org: string, limits: Partial<OrgQuotas>): Promise<OrgQuotas> {
    if (!(await this.organizations.named(org))) throw notFound('organization', org, ErrorCode.ORGANIZATION_NOT_FOUND);
    const next = { ...(await this.of(org)), ...limits };
    await this.quotas.set(org, next);
    return next;
  }

  /** What `org` used since `since` (a UTC day), as function-manager counts it. */
  async usage(org: string, since: string): Promise<FunctionUsage> {
    return this.bus.request('function.usage.get.v1', { org, since }, { timeoutMs: 3000 }).catch(() => {
      throw new DispatchError(ErrorCode.SERVICE_UNAVAILABLE, 'function-manager did not answer with the usage; try again shortly');
    });
  }
}
