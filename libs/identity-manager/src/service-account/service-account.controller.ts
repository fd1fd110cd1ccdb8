import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ErrorCode, type Page, type Principal } from '@dispatch/contracts';
import {
  ApiErrors,
  ApiNoContentResponse,
  ApiPageQuery,
  ApiPageResponse,
  ApiZodBody,
  ApiZodResponse,
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
import { serviceAccountViewSchema } from './service-account-view';

type ServiceAccountView = z.output<typeof serviceAccountViewSchema>;

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
  @ApiZodResponse(201, serviceAccountViewSchema, { description: 'The service account, registered.' })
  @ApiErrors(ErrorCode.NAME_CONFLICT, ErrorCode.INVALID_PUBLIC_KEY, ErrorCode.ORGANIZATION_NOT_FOUND)
  create(
    @CurrentPrincipal() principal: Principal,
    @Body(new ZodPipe(serviceAccountCreateBody)) body: ServiceAccountCreateBody,
  ): Promise<ServiceAccountView> {
    const { org, ...account } = body;
    return this.accounts.create(principal, org ?? principal.org, account);
  }

  @Get()
  @Authorize('serviceaccount', 'list')
  @ApiPageQuery()
  @ApiPageResponse(serviceAccountViewSchema, { description: "The org's service accounts, by name." })
  @ApiErrors()
  list(@CurrentOrg() org: string, @PageQuery() page: PageRequest): Promise<Page<ServiceAccountView>> {
    return this.accounts.list(org, page);
  }

  @Get(':name')
  @Authorize('serviceaccount', 'get')
  @ApiZodResponse(200, serviceAccountViewSchema, { description: 'The service account.' })
  @ApiErrors(ErrorCode.NOT_FOUND)
  get(@CurrentOrg() org: string, @Param('name') name: string): Promise<ServiceAccountView> {
    return this.accounts.get(org, name);
  }

  @Put(':name')
  @Authorize('serviceaccount', 'update')
  @ApiZodBody(serviceAccountUpdateBody)
  @ApiZodResponse(200, serviceAccountViewSchema, { description: 'The service account, with its new key.' })
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.INVALID_PUBLIC_KEY)
  update(
    @CurrentOrg() org: string,
    @Param('name') name: string,
    @Body(new ZodPipe(serviceAccountUpdateBody)) body: ServiceAccountUpdateBody,
  ): Promise<ServiceAccountView> {
    return this.accounts.update(org, name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('serviceaccount', 'delete')
  @ApiNoContentResponse('Deleted: its tokens no longer authenticate.')
  @ApiErrors(ErrorCode.NOT_FOUND)
  async remove(@CurrentOrg() org: string, @Param('name') name: string): Promise<void> {
    await this.accounts.delete(org, name);
  }
}
