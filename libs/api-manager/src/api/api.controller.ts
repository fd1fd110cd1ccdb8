import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { stringify } from 'yaml';
import { ErrorCode, type Page } from '@dispatch/contracts';
import {
  ApiErrors,
  ApiNoContentResponse,
  ApiPageQuery,
  ApiPageResponse,
  ApiZodBody,
  ApiZodResponse,
  Authorize,
  exampleOf,
  schemaObjectOf,
  CurrentOrg,
  PageQuery,
  type PageRequest,
  ZodPipe,
} from '@dispatch/platform';
import { apiCreateBody, type ApiCreateBody, apiUpdateBody, type ApiUpdateBody } from './api.dto';
import { ApisService } from './api.service';
import { apiExportSchema } from './api-export';
import { EXPORT_CONTENT_TYPES, EXPORT_FORMATS, exportFormat } from './export-format';
import { type ApiView, apiViewSchema } from './api-view';

/** APIs of the caller's org: a function served by the gateway on paths, hosts and methods. */
@ApiTags('api')
@Controller('v1/api')
export class ApisController {
  constructor(private readonly apis: ApisService) {}

  @Post()
  @Authorize('api', 'create')
  @ApiZodBody(apiCreateBody)
  @ApiZodResponse(201, apiViewSchema, { description: 'The API, stored CREATING: READY once the gateway serves it.' })
  @ApiErrors(ErrorCode.NAME_CONFLICT, ErrorCode.ROUTE_CONFLICT, ErrorCode.NOT_FOUND)
  create(@CurrentOrg() org: string, @Body(new ZodPipe(apiCreateBody)) body: ApiCreateBody): Promise<ApiView> {
    return this.apis.create(org, body);
  }

  @Get()
  @Authorize('api', 'list')
  @ApiPageQuery()
  @ApiPageResponse(apiViewSchema, { description: "The org's APIs, by name." })
  @ApiErrors()
  list(@CurrentOrg() org: string, @PageQuery() page: PageRequest): Promise<Page<ApiView>> {
    return this.apis.list(org, page);
  }

  // Before `:name`: a static segment wins in the router anyway, and reads first here too.
  @Get('export')
  @Authorize('api', 'list')
  @ApiQuery({
    name: 'format',
    required: false,
    enum: EXPORT_FORMATS,
    description: 'json or yaml; when left out, what Accept prefers (application/json or application/yaml), JSON by default.',
  })
  @ApiResponse({
    status: 200,
    description:
      "The org's APIs as a Kong declarative config (kong.yml) for `deck sync` or a DB-less Kong: what the gateway is driven toward, without the gateway's shared secret. Disabled APIs, which serve nothing, are left out.",
    content: {
      'application/json': { schema: schemaObjectOf(apiExportSchema), example: exampleOf(apiExportSchema) },
      'application/yaml': { schema: { type: 'string' } },
    },
  })
  @ApiErrors(ErrorCode.VALIDATION_FAILED)
  async export(
    @CurrentOrg() org: string,
    @Query('format') format: unknown,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const chosen = exportFormat(format, accept);
    const config = await this.apis.exportConfig(org);
    void reply.header('content-type', EXPORT_CONTENT_TYPES[chosen]).header('vary', 'accept');
    // No anchors: the same tags on every entity would otherwise be written once and aliased, which a reader of kong.yml should not need to follow.
    return chosen === 'yaml' ? stringify(config, { aliasDuplicateObjects: false }) : JSON.stringify(config);
  }

  @Get(':name')
  @Authorize('api', 'get')
  @ApiZodResponse(200, apiViewSchema, { description: 'The API.' })
  @ApiErrors(ErrorCode.NOT_FOUND)
  get(@CurrentOrg() org: string, @Param('name') name: string): Promise<ApiView> {
    return this.apis.get(org, name);
  }

  @Put(':name')
  @Authorize('api', 'update')
  @ApiZodBody(apiUpdateBody)
  @ApiZodResponse(200, apiViewSchema, { description: 'The API with its new spec: UPDATING until the gateway serves it.' })
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.ROUTE_CONFLICT, ErrorCode.NOT_READY)
  update(@CurrentOrg() org: string, @Param('name') name: string, @Body(new ZodPipe(apiUpdateBody)) body: ApiUpdateBody): Promise<ApiView> {
    return this.apis.update(org, name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('api', 'delete')
  @ApiNoContentResponse('Deleted: the gateway stops serving it on its next pass, and the API is gone then.')
  @ApiErrors(ErrorCode.NOT_FOUND)
  async remove(@CurrentOrg() org: string, @Param('name') name: string): Promise<void> {
    await this.apis.delete(org, name);
  }
}
