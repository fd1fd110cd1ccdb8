import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@dispatch/contracts';
import {
  ApiPageQuery,
  ApiZodBody,
  Authorize,
  CurrentOrg,
  CurrentPrincipal,
  PageQuery,
  type PageRequest,
  ZodPipe,
} from '@dispatch/platform';
import {
  serviceAccountCreateBody,
  type ServiceAccountCreateBody,
  serviceAccountUpdateBody,
  type ServiceAccountUpdateBody,
} from './service-account.dto';
import { ServiceAccountService } from './service-account.service';

/**
 * Service accounts of the caller's org: machine identities known by their public key. Another org's are not found;
 * a platform admin may register one in any org (`org` in the body).
 */
@ApiTags('iam')
@Controller('v1/iam/serviceaccounts')
export class ServiceAccountsController {
  constructor(private readonly accounts: ServiceAccountService) {}

  @Post()
  @Authorize('serviceaccount', 'create')
  @ApiZodBody(serviceAccountCreateBody)
  create(@CurrentPrincipal() principal: Principal, @Body(new ZodPipe(serviceAccountCreateBody)) body: ServiceAccountCreateBody) {
    const { org, ...account } = body;
    return this.accounts.create(principal, org ?? principal.org, account);
  }

  @Get()
  @Authorize('serviceaccount', 'list')
  @ApiPageQuery()
  list(@CurrentOrg() org: string, @PageQuery() page: PageRequest) {
    return this.accounts.list(org, page);
  }

  @Get(':name')
  @Authorize('serviceaccount', 'get')
  get(@CurrentOrg() org: string, @Param('name') name: string) {
    return this.accounts.get(org, name);
  }

  @Put(':name')
  @Authorize('serviceaccount', 'update')
  @ApiZodBody(serviceAccountUpdateBody)
  update(
    @CurrentOrg() org: string,
    @Param('name') name: string,
    @Body(new ZodPipe(serviceAccountUpdateBody)) body: ServiceAccountUpdateBody,
  ) {
    return this.accounts.update(org, name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('serviceaccount', 'delete')
  async remove(@CurrentOrg() org: string, @Param('name') name: string) {
    await this.accounts.delete(org, name);
  }
}
