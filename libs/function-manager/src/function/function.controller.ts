import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiPageQuery, ApiZodBody, Authorize, CurrentOrg, PageQuery, type PageRequest, ZodPipe } from '@dispatch/platform';
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
  async create(@CurrentOrg() org: string, @Req() request: FastifyRequest, @Body() body: unknown) {
    const { spec, tree } = isMultipart(request) ? await readFunctionUpload(request) : { spec: body, tree: undefined };
    return this.functions.create(org, new ZodPipe(createFunctionBody).transform(spec), tree);
  }

  @Get()
  @Authorize('function', 'list')
  @ApiPageQuery()
  list(@CurrentOrg() org: string, @PageQuery() page: PageRequest) {
    return this.functions.list(org, page);
  }

  @Get(':name')
  @Authorize('function', 'get')
  get(@CurrentOrg() org: string, @Param('name') name: string) {
    return this.functions.get(org, name);
  }

  @Put(':name')
  @Authorize('function', 'update')
  @ApiZodBody(updateFunctionBody)
  async update(@CurrentOrg() org: string, @Param('name') name: string, @Req() request: FastifyRequest, @Body() body: unknown) {
    const { spec, tree } = isMultipart(request) ? await readFunctionUpload(request) : { spec: body, tree: undefined };
    return this.functions.update(org, name, new ZodPipe(updateFunctionBody).transform(spec), tree);
  }

  @Delete(':name')
  @HttpCode(202)
  @Authorize('function', 'delete')
  remove(@CurrentOrg() org: string, @Param('name') name: string) {
    return this.functions.delete(org, name);
  }

  @Get(':name/versions')
  @Authorize('function', 'get')
  @ApiPageQuery()
  versions(@CurrentOrg() org: string, @Param('name') name: string, @PageQuery() page: PageRequest) {
    return this.functions.listVersions(org, name, page);
  }

  @Post(':name/rollback')
  @Authorize('function', 'update')
  @ApiZodBody(rollbackBody)
  rollback(@CurrentOrg() org: string, @Param('name') name: string, @Body(new ZodPipe(rollbackBody)) body: RollbackBody) {
    return this.functions.rollback(org, name, body.version);
  }
}
