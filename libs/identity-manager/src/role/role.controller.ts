import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@dispatch/contracts';
import { ApiPageQuery, ApiZodBody, Authorize, CurrentPrincipal, parsePageQuery, ZodPipe } from '@dispatch/platform';
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
  create(@CurrentPrincipal() p: Principal, @Body(new ZodPipe(roleBody)) body: RoleBody) {
    return this.roles.create(p.org, body);
  }

  @Get()
  @Authorize('policy', 'list')
  @ApiPageQuery()
  list(@CurrentPrincipal() p: Principal, @Query() query: Record<string, string>) {
    return this.roles.list(p.org, parsePageQuery(query));
  }

  @Get(':name')
  @Authorize('policy', 'get')
  get(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
    return this.roles.get(p.org, name);
  }

  @Put(':name')
  @Authorize('policy', 'update')
  @ApiZodBody(roleUpdateBody)
  update(@CurrentPrincipal() p: Principal, @Param('name') name: string, @Body(new ZodPipe(roleUpdateBody)) body: RoleUpdateBody) {
    return this.roles.update(p.org, name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('policy', 'delete')
  async remove(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
    await this.roles.delete(p.org, name);
  }
}
