import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { OrgQuotas, Principal } from '@dispatch/contracts';
import { ApiZodBody, Authorize, CurrentPrincipal, ZodPipe } from '@dispatch/platform';
import { quotasBody } from './quota.dto';
import { QuotaService } from './quota.service';

@ApiTags('iam')
@Controller('v1/iam/quotas')
export class QuotasController {
  constructor(private readonly quotas: QuotaService) {}

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
  async set(
    @Param('org') org: string,
    @Body(new ZodPipe(quotasBody)) body: Partial<OrgQuotas>,
  ): Promise<{ org: string; limits: OrgQuotas }> {
    return { org, limits: await this.quotas.set(org, body) };
  }
}
