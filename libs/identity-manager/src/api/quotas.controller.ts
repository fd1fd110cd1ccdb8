import { Body, Controller, Get, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BUS, type Bus } from '@dispatch/bus';
import { ErrorCode, type FunctionUsage, type OrgQuotas, type Principal } from '@dispatch/contracts';
import { ApiZodBody, Authorize, CurrentPrincipal, DispatchError, ZodPipe } from '@dispatch/platform';
import { QuotasService } from '../domain/quotas.service';

const limit = z.number().int().min(0).max(1_000_000);
const quotasBody = z
  .object({ maxFunctions: limit, maxConcurrentRuns: limit, maxEventsPerSecond: limit })
  .partial()
  .strict()
  .refine((q) => Object.keys(q).length > 0, 'give at least one of maxFunctions, maxConcurrentRuns, maxEventsPerSecond');

@ApiTags('iam')
@Controller('v1/iam/quotas')
export class QuotasController {
  constructor(private readonly quotas: QuotasService) {}

  /** The caller's org's limits. */
  @Get()
  @Authorize('quota', 'get')
  async mine(@CurrentPrincipal() p: Principal): Promise<{ org: string; limits: OrgQuotas }> {
    return { org: p.org, limits: await this.quotas.of(p.org) };
  }

  /** Platform admins set an org's limits. */
  @Put(':org')
  @Authorize('quota', 'update', { platform: true })
  @ApiZodBody(quotasBody)
  async set(@Param('org') org: string, @Body(new ZodPipe(quotasBody)) body: Partial<OrgQuotas>): Promise<{ org: string; limits: OrgQuotas }> {
    return { org, limits: await this.quotas.set(org, body) };
  }
}

const usageQuery = z.object({ since: z.iso.date('since: a UTC day, e.g. 2026-11-01').optional() });

/**
 * `GET /v1/iam/usage?since=YYYY-MM-DD`: the caller's org's limits beside what it used since that
 * day (default: the first of this month): runs, GB-seconds, runs in progress. Usage is counted by
 * function-manager, asked over the bus.
 */
@ApiTags('iam')
@Controller('v1/iam/usage')
export class UsageController {
  constructor(
    private readonly quotas: QuotasService,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  @Get()
  @Authorize('quota', 'get')
  async mine(@CurrentPrincipal() p: Principal, @Query() query: Record<string, string>): Promise<{ org: string; limits: OrgQuotas; usage: FunctionUsage }> {
    const since = new ZodPipe(usageQuery).transform(query).since ?? `${new Date().toISOString().slice(0, 8)}01`;
    const [usage, limits] = await Promise.all([
      this.bus.request('function.usage.get.v1', { org: p.org, since }, { timeoutMs: 3000 }).catch(() => {
        throw new DispatchError(ErrorCode.SERVICE_UNAVAILABLE, 'function-manager did not answer with the usage; try again shortly');
      }),
      this.quotas.of(p.org),
    ]);
    return { org: p.org, limits, usage };
  }
}
