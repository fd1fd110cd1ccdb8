import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@dispatch/contracts';
import { ApiZodBody, Authorize, CurrentPrincipal, parsePageQuery, ZodPipe } from '@dispatch/platform';
import { IamService } from '../domain/iam.service';
import { issuerBody, type IssuerBody, issuerUpdateBody, type IssuerUpdateBody } from './schemas';

/** Identity providers the caller's org trusts, besides the deployment-wide ones: their tokens vouch for this org only. */
@ApiTags('iam')
@Controller('v1/iam/issuers')
export class IssuersController {
  constructor(private readonly iam: IamService) {}

  @Post()
  @Authorize('issuer', 'create')
  @ApiZodBody(issuerBody)
  create(@CurrentPrincipal() p: Principal, @Body(new ZodPipe(issuerBody)) body: IssuerBody) {
    return this.iam.createIssuer(p.org, body);
  }

  @Get()
  @Authorize('issuer', 'list')
  list(@CurrentPrincipal() p: Principal, @Query() query: Record<string, string>) {
    return this.iam.listIssuers(p.org, parsePageQuery(query));
  }

  @Get(':name')
  @Authorize('issuer', 'get')
  get(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
    return this.iam.getIssuer(p.org, name);
  }

  @Put(':name')
  @Authorize('issuer', 'update')
  @ApiZodBody(issuerUpdateBody)
  update(@CurrentPrincipal() p: Principal, @Param('name') name: string, @Body(new ZodPipe(issuerUpdateBody)) body: IssuerUpdateBody) {
    return this.iam.updateIssuer(p.org, name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('issuer', 'delete')
  async remove(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
    await this.iam.deleteIssuer(p.org, name);
  }
}
