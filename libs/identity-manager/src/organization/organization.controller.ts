import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@dispatch/contracts';
import { ApiPageQuery, ApiZodBody, Authorize, CurrentPrincipal, PageQuery, type PageRequest, ZodPipe } from '@dispatch/platform';
import { organizationBody, type OrganizationBody } from './organization.dto';
import { OrganizationService } from './organization.service';

@ApiTags('iam')
@Controller('v1/iam/organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationService) {}

  @Post()
  @Authorize('organization', 'create', { platform: true })
  @ApiZodBody(organizationBody)
  create(@Body(new ZodPipe(organizationBody)) body: OrganizationBody) {
    return this.organizations.create(body);
  }

  @Get()
  @Authorize('organization', 'list', { platform: true })
  @ApiPageQuery()
  list(@PageQuery() page: PageRequest) {
    return this.organizations.list(page);
  }

  @Get(':name')
  @Authorize('organization', 'get')
  get(@Param('name') name: string, @CurrentPrincipal() principal: Principal) {
    return this.organizations.get(principal, name);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('organization', 'delete', { platform: true })
  async remove(@Param('name') name: string) {
    await this.organizations.delete(name);
  }
}
