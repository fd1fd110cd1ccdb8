import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '@dispatch/contracts';
import { ApiPageQuery, ApiZodBody, Authorize, CurrentPrincipal, parsePageQuery, ZodPipe } from '@dispatch/platform';
import { rollbackBody, type RollbackBody } from './function.dto';
import { createFunctionBody, updateFunctionBody } from './function-spec';
import { FunctionsService } from './function.service';
import { isMultipart, readFunctionUpload } from './function-upload.dto';

/**
 * `/v1/function`: functions of the caller's org. A create or an update answers at once with the
 * function CREATING or UPDATING; it is READY once its new version serves (poll GET). Bodies are
 * JSON (source as base64, within the JSON body limit) or multipart/form-data (see function-upload.dto.ts).
 */
@ApiTags('functions')
@Controller('v1/function')
export class FunctionsController {
  constructor(private readonly functions: FunctionsService) {}

  @Post()
  @HttpCode(201)
  @Authorize('function', 'create')
  @ApiZodBody(createFunctionBody)
  async create(@CurrentPrincipal() p: Principal, @Req() request: FastifyRequest, @Body() body: unknown) {
    const { spec, tree } = isMultipart(request) ? await readFunctionUpload(request) : { spec: body, tree: undefined };
    return this.functions.create(p.org, new ZodPipe(createFunctionBody).transform(spec), tree);
  }

  @Get()
  @Authorize('function', 'list')
  @ApiPageQuery()
  list(@CurrentPrincipal() p: Principal, @Query() query: Record<string, string>) {
    return this.functions.list(p.org, parsePageQuery(query));
  }

  @Get(':name')
  @Authorize('function', 'get')
  get(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
    return this.functions.get(p.org, name);
  }

  @Put(':name')
  @Authorize('function', 'update')
  @ApiZodBody(updateFunctionBody)
  async update(@CurrentPrincipal() p: Principal, @Param('name') name: string, @Req() request: FastifyRequest, @Body() body: unknown) {
    const { spec, tree } = isMultipart(request) ? await readFunctionUpload(request) : { spec: body, tree: undefined };
    return this.functions.update(p.org, name, new ZodPipe(updateFunctionBody).transform(spec), tree);
  }

  @Delete(':name')
  @HttpCode(202)
  @Authorize('function', 'delete')
  remove(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
    return this.functions.delete(p.org, name);
  }

  @Get(':name/versions')
  @Authorize('function', 'get')
  @ApiPageQuery()
  versions(@CurrentPrincipal() p: Principal, @Param('name') name: string, @Query() query: Record<string, string>) {
    return this.functions.listVersions(p.org, name, parsePageQuery(query));
  }

  @Post(':name/rollback')
  @Authorize('function', 'update')
  @ApiZodBody(rollbackBody)
  rollback(@CurrentPrincipal() p: Principal, @Param('name') name: string, @Body(new ZodPipe(rollbackBody)) body: RollbackBody) {
    return this.functions.rollback(p.org, name, body.version);
  }
}
