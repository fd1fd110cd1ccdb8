import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiPageQuery, ApiZodBody, Authorize, CurrentOrg, PageQuery, type PageRequest, ZodPipe } from '@dispatch/platform';
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
  create(@CurrentOrg() org: string, @Body(new ZodPipe(serviceAccountBody)) body: ServiceAccountBody) {
    return this.accounts.create(org, body);
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
