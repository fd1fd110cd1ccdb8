import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { EntityStatus, ErrorCode, type Page } from '@dispatch/contracts';
import {
  ApiErrors,
  ApiPageQuery,
  ApiPageResponse,
  ApiZodBody,
  ApiZodResponse,
  Authorize,
  CurrentOrg,
  exampleOf,
  PageQuery,
  type PageRequest,
  ZodPipe,
} from '@dispatch/platform';
import { rollbackBody, type RollbackBody } from './function.dto';
import { createFunctionBody, updateFunctionBody } from './function-spec';
import { FunctionsService } from './function.service';
import { functionFormData, isMultipart, readFunctionUpload } from './function-upload.dto';
import { type FunctionView, functionViewSchema } from './function-view';
import { type VersionView, versionViewSchema } from '../version/version-view';

/** The example function as a write leaves it: in `status`, with `changes`. */
const exampleIn = (status: EntityStatus, changes: Partial<FunctionView> = {}): FunctionView => ({
  ...(exampleOf(functionViewSchema) as FunctionView),
  status,
  ...changes,
});

/** What a function's source can be refused for, however it is sent. */
const SOURCE_ERRORS = [ErrorCode.INVALID_ARCHIVE, ErrorCode.HANDLER_NOT_FOUND, ErrorCode.UNKNOWN_RUNTIME, ErrorCode.INVALID_SCHEMA];

/**
 * `/v1/function`: functions of the caller's org. A create or an update answers at once with the
 * function CREATING or UPDATING; it is READY once its new version serves (poll GET). Bodies are
 * JSON (source as base64, within the JSON body limit) or multipart/form-data (see function-upload.dto.ts),
 * which the handlers read from the request (no @Body(), so /docs shows both).
 */
@ApiTags('functions')
@Controller('v1/function')
export class FunctionsController {
  constructor(private readonly functions: FunctionsService) {}

  @Post()
  @HttpCode(201)
  @Authorize('function', 'create')
  @ApiZodBody(createFunctionBody, { formData: functionFormData(createFunctionBody) })
  @ApiZodResponse(201, functionViewSchema, {
    description: 'The function, CREATING: READY once its first version serves.',
    example: exampleIn(EntityStatus.CREATING, { activeVersion: null }),
  })
  @ApiErrors(ErrorCode.NAME_CONFLICT, ErrorCode.NOT_FOUND, ErrorCode.QUOTA_EXCEEDED, ...SOURCE_ERRORS)
  async create(@CurrentOrg() org: string, @Req() request: FastifyRequest): Promise<FunctionView> {
    const { spec, tree } = isMultipart(request) ? await readFunctionUpload(request) : { spec: request.body, tree: undefined };
    return this.functions.create(org, new ZodPipe(createFunctionBody).transform(spec), tree);
  }

  @Get()
  @Authorize('function', 'list')
  @ApiPageQuery()
  @ApiPageResponse(functionViewSchema, { description: "The org's functions, by name." })
  @ApiErrors()
  list(@CurrentOrg() org: string, @PageQuery() page: PageRequest): Promise<Page<FunctionView>> {
    return this.functions.list(org, page);
  }

  @Get(':name')
  @Authorize('function', 'get')
  @ApiZodResponse(200, functionViewSchema, { description: 'The function.' })
  @ApiErrors(ErrorCode.NOT_FOUND)
  get(@CurrentOrg() org: string, @Param('name') name: string): Promise<FunctionView> {
    return this.functions.get(org, name);
  }

  @Put(':name')
  @Authorize('function', 'update')
  @ApiZodBody(updateFunctionBody, { formData: functionFormData(updateFunctionBody) })
  @ApiZodResponse(200, functionViewSchema, {
    description: 'The function, UPDATING: READY once the new version serves.',
    example: exampleIn(EntityStatus.UPDATING, { latestVersion: 2 }),
  })
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.NOT_READY, ...SOURCE_ERRORS)
  async update(@CurrentOrg() org: string, @Param('name') name: string, @Req() request: FastifyRequest): Promise<FunctionView> {
    const { spec, tree } = isMultipart(request) ? await readFunctionUpload(request) : { spec: request.body, tree: undefined };
    return this.functions.update(org, name, new ZodPipe(updateFunctionBody).transform(spec), tree);
  }

  @Delete(':name')
  @HttpCode(202)
  @Authorize('function', 'delete')
  @ApiZodResponse(202, functionViewSchema, {
    description: 'The function, DELETING: gone once its versions are removed from the provider.',
    example: exampleIn(EntityStatus.DELETING),
  })
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.NOT_READY)
  remove(@CurrentOrg() org: string, @Param('name') name: string): Promise<FunctionView> {
    return this.functions.delete(org, name);
  }

  @Get(':name/versions')
  @Authorize('function', 'get')
  @ApiPageQuery()
  @ApiPageResponse(versionViewSchema, { description: "The function's versions, newest first." })
  @ApiErrors(ErrorCode.NOT_FOUND)
  versions(@CurrentOrg() org: string, @Param('name') name: string, @PageQuery() page: PageRequest): Promise<Page<VersionView>> {
    return this.functions.listVersions(org, name, page);
  }

  @Post(':name/rollback')
  @Authorize('function', 'update')
  @ApiZodBody(rollbackBody)
  @ApiZodResponse(201, functionViewSchema, {
    description: "The function, UPDATING: the version's spec and source deploy again as a new version.",
    example: exampleIn(EntityStatus.UPDATING, { latestVersion: 3 }),
  })
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.NOT_READY)
  rollback(
    @CurrentOrg() org: string,
    @Param('name') name: string,
    @Body(new ZodPipe(rollbackBody)) body: RollbackBody,
  ): Promise<FunctionView> {
    return this.functions.rollback(org, name, body.version);
  }
}
