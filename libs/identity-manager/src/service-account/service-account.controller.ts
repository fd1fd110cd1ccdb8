import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@dispatch/contracts';
import { ApiPageQuery, ApiZodBody, Authorize, CurrentPrincipal, parsePageQuery, ZodPipe } from '@dispatch/platform';
import {
  serviceAccountBody,
  type ServiceAccountBody,
  serviceAccountUpdateBody,
  type ServiceAccountUpdateBody,
} from './service-account.dto';
import { ServiceAccountService } from './service-account.service';

/** Service accounts of the caller's org: machine identities known by their public key. Another org's are not found. */
@ApiTags('iam')
@Controller('v1/iam/serviceaccounts')
export class ServiceAccountsController {
  constructor(private readonly accounts: ServiceAccountService) {}

  @Post()
  @Authorize('serviceaccount', 'create')
  @ApiZodBody(serviceAccountBody)
  create(@CurrentPrincipal() p: Principal, @Body(new ZodPipe(serviceAccountBody)) body: ServiceAccountBody) {
    return this.accounts.create(p.org, body);
  }

  @Get()
  @Authorize('serviceaccount', 'list')
  @ApiPageQuery()
  list(@CurrentPrincipal() p: Principal, @Query() query: Record<string, string>) {
    return this.accounts.list(p.org, parsePageQuery(query));
  }

  @Get(':name')
  @Authorize('serviceaccount', 'get')
  get(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
    return this.accounts.get(p.org, name);
  }

  @Put(':name')
  @Authorize('serviceaccount', 'update')
  @ApiZodBody(serviceAccountUpdateBody)
  update(
    @CurrentPrincipal() p: Principal,
    @Param('name') name: string,
    @Body(new ZodPipe(serviceAccountUpdateBody)) body: ServiceAccountUpdateBody,
  ) {
    return this.accounts.update(p.org, name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('serviceaccount', 'delete')
  async remove(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
    await this.accounts.delete(p.org, name);
  }
}
