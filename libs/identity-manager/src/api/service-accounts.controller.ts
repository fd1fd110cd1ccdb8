import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@dispatch/contracts';
import { ApiZodBody, Authorize, CurrentPrincipal, parsePageQuery, ZodPipe } from '@dispatch/platform';
import { IamService } from '../domain/iam.service';
import { serviceAccountBody, type ServiceAccountBody, serviceAccountUpdateBody, type ServiceAccountUpdateBody } from './schemas';

/** Service accounts of the caller's org: machine identities known by their public key. */
@ApiTags('iam')
@Controller('v1/iam/serviceaccounts')
export class ServiceAccountsController {
  constructor(private readonly iam: IamService) {}

  @Post()
  @Authorize('serviceaccount', 'create')
  @ApiZodBody(serviceAccountBody)
  create(@CurrentPrincipal() p: Principal, @Body(new ZodPipe(serviceAccountBody)) body: ServiceAccountBody) {
    return this.iam.createServiceAccount(p.org, body);
  }

  @Get()
  @Authorize('serviceaccount', 'list')
  list(@CurrentPrincipal() p: Principal, @Query() query: Record<string, string>) {
    return this.iam.listServiceAccounts(p.org, parsePageQuery(query));
  }

  @Get(':name')
  @Authorize('serviceaccount', 'get')
  get(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
    return this.iam.getServiceAccount(p.org, name);
  }

  @Put(':name')
  @Authorize('serviceaccount', 'update')
  @ApiZodBody(serviceAccountUpdateBody)
  update(@CurrentPrincipal() p: Principal, @Param('name') name: string, @Body(new ZodPipe(serviceAccountUpdateBody)) body: ServiceAccountUpdateBody) {
    return this.iam.updateServiceAccount(p.org, name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('serviceaccount', 'delete')
  async remove(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
    await this.iam.deleteServiceAccount(p.org, name);
  }
}
