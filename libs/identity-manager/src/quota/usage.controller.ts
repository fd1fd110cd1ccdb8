import { Controller, Get, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ErrorCode, type Principal } from '@dispatch/contracts';
import { ApiErrors, ApiZodResponse, Authorize, CurrentPrincipal, ZodPipe } from '@dispatch/platform';
import { usageQuery } from './quota.dto';
import { QuotaService } from './quota.service';
import { usageViewSchema } from './quota-view';

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
  @ApiQuery({
    name: 'since',
    required: false,
    type: String,
    format: 'date',
    description: 'A UTC day (YYYY-MM-DD); default: the first of this month.',
  })
  @ApiZodResponse(200, usageViewSchema, { description: "The org's limits beside its usage since the day." })
  @ApiErrors(ErrorCode.VALIDATION_FAILED)
  async mine(@CurrentPrincipal() p: Principal, @Query() query: Record<string, string>): Promise<z.output<typeof usageViewSchema>> {
    const since = new ZodPipe(usageQuery).transform(query).since ?? `${new Date().toISOString().slice(0, 8)}01`;
    const [usage, limits] = await Promise.all([this.quotas.usage(p.org, since), this.quotas.of(p.org)]);
    return { org: p.org, limits, usage };
  }
}
