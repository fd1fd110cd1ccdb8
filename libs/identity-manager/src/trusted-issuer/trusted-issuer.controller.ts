import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiPageQuery, ApiZodBody, Authorize, CurrentOrg, PageQuery, type PageRequest, ZodPipe } from '@dispatch/platform';
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
  create(@CurrentOrg() org: string, @Body(new ZodPipe(issuerBody)) body: IssuerBody) {
    return this.issuers.create(org, body);
  }

  @Get()
  @Authorize('issuer', 'list')
  @ApiPageQuery()
  list(@CurrentOrg() org: string, @PageQuery() page: PageRequest) {
    return this.issuers.list(org, page);
  }

  @Get(':name')
  @Authorize('issuer', 'get')
  get(@CurrentOrg() org: string, @Param('name') name: string) {
    return this.issuers.get(org, name);
  }

  @Put(':name')
  @Authorize('issuer', 'update')
  @ApiZodBody(issuerUpdateBody)
  update(@CurrentOrg() org: string, @Param('name') name: string, @Body(new ZodPipe(issuerUpdateBody)) body: IssuerUpdateBody) {
    return this.issuers.update(org, name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('issuer', 'delete')
  async remove(@CurrentOrg() org: string, @Param('name') name: string) {
    await this.issuers.delete(org, name);
  }
}
