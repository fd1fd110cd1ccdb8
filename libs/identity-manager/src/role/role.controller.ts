import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiPageQuery, ApiZodBody, Authorize, CurrentOrg, PageQuery, type PageRequest, ZodPipe } from '@dispatch/platform';
import { roleBody, type RoleBody, roleUpdateBody, type RoleUpdateBody } from './role.dto';
import { RoleService } from './role.service';

/** Custom roles of the caller's org (the built-in ones are fixed). Another org's roles are not found. */
@ApiTags('iam')
@Controller('v1/iam/roles')
export class RolesController {
  constructor(private readonly roles: RoleService) {}

  @Post()
  @Authorize('policy', 'create')
  @ApiZodBody(roleBody)
  create(@CurrentOrg() org: string, @Body(new ZodPipe(roleBody)) body: RoleBody) {
    return this.roles.create(org, body);
  }

  @Get()
  @Authorize('policy', 'list')
  @ApiPageQuery()
  list(@CurrentOrg() org: string, @PageQuery() page: PageRequest) {
    return this.roles.list(org, page);
  }

  @Get(':name')
  @Authorize('policy', 'get')
  get(@CurrentOrg() org: string, @Param('name') name: string) {
    return this.roles.get(org, name);
  }

  @Put(':name')
  @Authorize('policy', 'update')
  @ApiZodBody(roleUpdateBody)
  update(@CurrentOrg() org: string, @Param('name') name: string, @Body(new ZodPipe(roleUpdateBody)) body: RoleUpdateBody) {
    return this.roles.update(org, name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('policy', 'delete')
  async remove(@CurrentOrg() org: string, @Param('name') name: string) {
    await this.roles.delete(org, name);
  }
}
