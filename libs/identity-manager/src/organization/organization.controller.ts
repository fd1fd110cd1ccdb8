import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
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
  CurrentPrincipal,
  PageQuery,
  type PageRequest,
  ZodPipe,
} from '@dispatch/platform';
import { organizationBody, type OrganizationBody } from './organization.dto';
import { OrganizationService } from './organization.service';
import { organizationViewSchema } from './organization-view';

type OrganizationView = z.output<typeof organizationViewSchema>;

@ApiTags('iam')
@Controller('v1/iam/organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationService) {}

  @Post()
  @Authorize('organization', 'create', { platform: true })
  @ApiZodBody(organizationBody)
  @ApiZodResponse(201, organizationViewSchema, {
    description: 'The organization, with its first admins bound (and its first service account registered).',
  })
  @ApiErrors(ErrorCode.NAME_CONFLICT, ErrorCode.INVALID_PUBLIC_KEY)
  create(@Body(new ZodPipe(organizationBody)) body: OrganizationBody): Promise<OrganizationView> {
    return this.organizations.create(body);
  }

  @Get()
  @Authorize('organization', 'list', { platform: true })
  @ApiPageQuery()
  @ApiPageResponse(organizationViewSchema, { description: 'Every organization, by name (platform admins only).' })
  @ApiErrors()
  list(@PageQuery() page: PageRequest): Promise<Page<OrganizationView>> {
    return this.organizations.list(page);
  }

  @Get(':name')
  @Authorize('organization', 'get')
  @ApiZodResponse(200, organizationViewSchema, { description: "The organization: the caller's own, or any for platform admins." })
  @ApiErrors(ErrorCode.ORGANIZATION_NOT_FOUND)
  get(@Param('name') name: string, @CurrentPrincipal() principal: Principal): Promise<OrganizationView> {
    return this.organizations.get(principal, name);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('organization', 'delete', { platform: true })
  @ApiNoContentResponse('Deleted, with its roles and policies.')
  @ApiErrors(ErrorCode.ORGANIZATION_NOT_FOUND)
  async remove(@Param('name') name: string): Promise<void> {
    await this.organizations.delete(name);
  }
}
