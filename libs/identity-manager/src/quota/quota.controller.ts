import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ErrorCode, type OrgQuotas, type Principal } from '@dispatch/contracts';
import { ApiErrors, ApiZodBody, ApiZodResponse, Authorize, CurrentPrincipal, ZodPipe } from '@dispatch/platform';
import { quotasBody } from './quota.dto';
import { QuotaService } from './quota.service';
import { quotasViewSchema } from './quota-view';

type Quotas = z.output<typeof quotasViewSchema>;

@ApiTags('iam')
@Controller('v1/iam/quotas')
export class QuotasController {
  constructor(private readonly quotas: QuotaService) {}

  /** The caller's org's limits. */
  @Get()
  @Authorize('quota', 'get')
  @ApiZodResponse(200, quotasViewSchema, { description: "The caller's org's limits." })
  @ApiErrors()
  async mine(@CurrentPrincipal() p: Principal): Promise<Quotas> {
    return { org: p.org, limits: await this.quotas.of(p.org) };
  }

  /** Platform admins set an org's limits. */
  @Put(':org')
  @Authorize('quota', 'update', { platform: true })
  @ApiZodBody(quotasBody)
  @ApiZodResponse(200, quotasViewSchema, { description: "The org's limits, as set." })
  @ApiErrors(ErrorCode.ORGANIZATION_NOT_FOUND)
  async set(@Param('org') org: string, @Body(new ZodPipe(quotasBody)) body: Partial<OrgQuotas>): Promise<Quotas> {
    return { org, limits: await this.quotas.set(org, body) };
  }
}
