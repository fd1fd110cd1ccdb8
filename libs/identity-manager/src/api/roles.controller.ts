import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@dispatch/contracts';
import { ApiZodBody, Authorize, CurrentPrincipal, parsePageQuery, ZodPipe } from '@dispatch/platform';
import { IamService } from '../domain/iam.service';
import { roleBody, type RoleBody, roleUpdateBody, type RoleUpdateBody } from './schemas';

/** Custom roles of the caller's org (the built-in ones are fixed). */
@ApiTags('iam')
@Controller('v1/iam/roles')
export class RolesController {
  constructor(private readonly iam: IamService) {}

  @Post()
  @Authorize('policy', 'create')
  @ApiZodBody(roleBody)
  create(@CurrentPrincipal() p: Principal, @Body(new ZodPipe(roleBody)) body: RoleBody) {
    return this.iam.createRole(p.org, body);
  }

  @Get()
  @Authorize('policy', 'list')
  list(@CurrentPrincipal() p: Principal, @Query() query: Record<string, string>) {
    return this.iam.listRoles(p.org, parsePageQuery(query));
  }

  @Get(':name')
  @Authorize('policy', 'get')
  get(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
    return this.iam.getRole(p.org, name);
  }

  @Put(':name')
  @Authorize('policy', 'update')
  @ApiZodBody(roleUpdateBody)
  update(@CurrentPrincipal() p: Principal, @Param('name') name: string, @Body(new ZodPipe(roleUpdateBody)) body: RoleUpdateBody) {
    return this.iam.updateRole(p.org, name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('policy', 'delete')
  async remove(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
    await this.iam.deleteRole(p.org, name);
  }
}
