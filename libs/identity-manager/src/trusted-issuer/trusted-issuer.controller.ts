import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@dispatch/contracts';
import { ApiPageQuery, ApiZodBody, Authorize, CurrentPrincipal, parsePageQuery, ZodPipe } from '@dispatch/platform';
import { issuerBody, type IssuerBody, issuerUpdateBody, type IssuerUpdateBody } from './trusted-issuer.dto';
import { TrustedIssuerService } from './trusted-issuer.service';

/** Identity providers the caller's org trusts besides the deployment-wide ones; they vouch for this org only. */
@ApiTags('iam')
@Controller('v1/iam/issuers')
export class IssuersController {
  constructor(private readonly issuers: TrustedIssuerService) {}

  @Post()
  @Authorize('issuer', 'create')
  @ApiZodBody(issuerBody)
  create(@CurrentPrincipal() p: Principal, @Body(new ZodPipe(issuerBody)) body: IssuerBody) {
    return this.issuers.create(p.org, body);
  }

  @Get()
  @Authorize('issuer', 'list')
  @ApiPageQuery()
  list(@CurrentPrincipal() p: Principal, @Query() query: Record<string, string>) {
    return this.issuers.list(p.org, parsePageQuery(query));
  }

  @Get(':name')
  @Authorize('issuer', 'get')
  get(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
    return this.issuers.get(p.org, name);
  }

  @Put(':name')
  @Authorize('issuer', 'update')
  @ApiZodBody(issuerUpdateBody)
  update(@CurrentPrincipal() p: Principal, @Param('name') name: string, @Body(new ZodPipe(issuerUpdateBody)) body: IssuerUpdateBody) {
    return this.issuers.update(p.org, name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('issuer', 'delete')
  async remove(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
    await this.issuers.delete(p.org, name);
  }
}
