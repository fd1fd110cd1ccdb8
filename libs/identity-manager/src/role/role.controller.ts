import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ErrorCode, type Page } from '@dispatch/contracts';
import {
  ApiErrors,
  ApiNoContentResponse,
  ApiPageQuery,
  ApiPageResponse,
  ApiZodBody,
  ApiZodResponse,
  Authorize,
  CurrentOrg,
  PageQuery,
  type PageRequest,
  ZodPipe,
} from '@dispatch/platform';
import { roleBody, type RoleBody, roleUpdateBody, type RoleUpdateBody } from './role.dto';
import { RoleService } from './role.service';
import { roleViewSchema } from './role-view';

type RoleView = z.output<typeof roleViewSchema>;

/** Custom roles of the caller's org (the built-in ones are fixed). Another org's roles are not found. */
@ApiTags('iam')
@Controller('v1/iam/roles')
export class RolesController {
  constructor(private readonly roles: RoleService) {}

  @Post()
  @Authorize('policy', 'create')
  @ApiZodBody(roleBody)
  @ApiZodResponse(201, roleViewSchema, { description: 'The role, created.' })
  @ApiErrors(ErrorCode.NAME_CONFLICT, ErrorCode.BUILTIN_ROLE)
  create(@CurrentOrg() org: string, @Body(new ZodPipe(roleBody)) body: RoleBody): Promise<RoleView> {
    return this.roles.create(org, body);
  }

  @Get()
  @Authorize('policy', 'list')
  @ApiPageQuery()
  @ApiPageResponse(roleViewSchema, { description: "The org's roles, by name." })
  @ApiErrors()
  list(@CurrentOrg() org: string, @PageQuery() page: PageRequest): Promise<Page<RoleView>> {
    return this.roles.list(org, page);
  }

  @Get(':name')
  @Authorize('policy', 'get')
  @ApiZodResponse(200, roleViewSchema, { description: 'The role.' })
  @ApiErrors(ErrorCode.NOT_FOUND)
  get(@CurrentOrg() org: string, @Param('name') name: string): Promise<RoleView> {
    return this.roles.get(org, name);
  }

  @Put(':name')
  @Authorize('policy', 'update')
  @ApiZodBody(roleUpdateBody)
  @ApiZodResponse(200, roleViewSchema, { description: 'The role, changed.' })
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.BUILTIN_ROLE)
  update(
    @CurrentOrg() org: string,
    @Param('name') name: string,
    @Body(new ZodPipe(roleUpdateBody)) body: RoleUpdateBody,
  ): Promise<RoleView> {
    return this.roles.update(org, name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('policy', 'delete')
  @ApiNoContentResponse('Deleted.')
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.NAME_CONFLICT)
  async remove(@CurrentOrg() org: string, @Param('name') name: string): Promise<void> {
    await this.roles.delete(org, name);
  }
}
