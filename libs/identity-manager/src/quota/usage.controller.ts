import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FunctionUsage, OrgQuotas, Principal } from '@dispatch/contracts';
import { Authorize, CurrentPrincipal, ZodPipe } from '@dispatch/platform';
import { usageQuery } from './quota.dto';
import { QuotaService } from './quota.service';

/**
 * `GET /v1/iam/usage?since=YYYY-MM-DD`: the caller's org's limits beside what it used since that
 * day (default: the first of this month): runs, GB-seconds, runs in progress. Usage is counted by
 * function-manager, asked over the bus.
 */
@ApiTags('iam')
@Controller('v1/iam/usage')
export class UsageController {
  constructor(private readonly quotas: QuotaService) {}

  @Get()
  @Authorize('quota', 'get')
  async mine(
    @CurrentPrincipal() p: Principal,
    @Query() query: Record<string, string>,
  ): Promise<{ org: string; limits: OrgQuotas; usage: FunctionUsage }> {
    const since = new ZodPipe(usageQuery).transform(query).since ?? `${new Date().toISOString().slice(0, 8)}01`;
    const [usage, limits] = await Promise.all([this.quotas.usage(p.org, since), this.quotas.of(p.org)]);
    return { org: p.org, limits, usage };
  }
}
