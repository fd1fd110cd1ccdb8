import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ErrorCode, type Principal } from '@dispatch/contracts';
import { ApiPageQuery, ApiZodBody, Authorize, CurrentPrincipal, DispatchError, IdentitySnapshot, parsePageQuery, ZodPipe } from '@dispatch/platform';
import { IamService } from '../domain/iam.service';
import { organizationBody, type OrganizationBody } from './schemas';

@ApiTags('iam')
@Controller('v1/iam/organizations')
export class OrganizationsController {
  constructor(
    private readonly iam: IamService,
    private readonly identity: IdentitySnapshot,
  ) {}

  @Post()
  @Authorize('organization', 'create', { platform: true })
  @ApiZodBody(organizationBody)
  create(@Body(new ZodPipe(organizationBody)) body: OrganizationBody) {
    return this.iam.createOrganization(body);
  }

  @Get()
  @Authorize('organization', 'list', { platform: true })
  @ApiPageQuery()
  list(@Query() query: Record<string, string>) {
    return this.iam.listOrganizations(parsePageQuery(query));
  }

  /** Members see their own org; platform admins see any. Another org is "not found", never forbidden. */
  @Get(':name')
  @Authorize('organization', 'get')
  get(@Param('name') name: string, @CurrentPrincipal() principal: Principal) {
    if (name !== principal.org && principal.org !== this.identity.platformOrg) {
      throw new DispatchError(ErrorCode.ORGANIZATION_NOT_FOUND, `organization "${name}" not found`);
    }
    return this.iam.getOrganization(name);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('organization', 'delete', { platform: true })
  async remove(@Param('name') name: string) {
    if (name === this.identity.platformOrg) {
      throw new DispatchError(ErrorCode.FORBIDDEN, `"${name}" is the platform org; it cannot be deleted`);
    }
    await this.iam.deleteOrganization(name);
  }
}
