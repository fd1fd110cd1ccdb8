import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
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
import { apiKeyBody, type ApiKeyBody } from './api-key.dto';
import { ApiKeyService } from './api-key.service';
import { apiKeyViewSchema, createdApiKeySchema } from './api-key-view';

type ApiKeyView = z.output<typeof apiKeyViewSchema>;

/** API keys of the caller's org: each acts with one role; shown once at creation. */
@ApiTags('iam')
@Controller('v1/iam/apikeys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyService) {}

  @Post()
  @Authorize('apikey', 'create')
  @ApiZodBody(apiKeyBody)
  @ApiZodResponse(201, createdApiKeySchema, { description: 'The API key, created, with the key itself: shown only this once.' })
  @ApiErrors(ErrorCode.NAME_CONFLICT, ErrorCode.ROLE_NOT_FOUND)
  create(@CurrentOrg() org: string, @Body(new ZodPipe(apiKeyBody)) body: ApiKeyBody): Promise<z.output<typeof createdApiKeySchema>> {
    return this.keys.create(org, body);
  }

  @Get()
  @Authorize('apikey', 'list')
  @ApiPageQuery()
  @ApiPageResponse(apiKeyViewSchema, { description: "The org's API keys, by name." })
  @ApiErrors()
  list(@CurrentOrg() org: string, @PageQuery() page: PageRequest): Promise<Page<ApiKeyView>> {
    return this.keys.list(org, page);
  }

  @Get(':name')
  @Authorize('apikey', 'get')
  @ApiZodResponse(200, apiKeyViewSchema, { description: 'The API key.' })
  @ApiErrors(ErrorCode.NOT_FOUND)
  get(@CurrentOrg() org: string, @Param('name') name: string): Promise<ApiKeyView> {
    return this.keys.get(org, name);
  }

  @Post(':name/revoke')
  @HttpCode(200)
  @Authorize('apikey', 'update')
  @ApiZodResponse(200, apiKeyViewSchema, { description: 'The API key, revoked: it no longer authenticates.' })
  @ApiErrors(ErrorCode.NOT_FOUND)
  revoke(@CurrentOrg() org: string, @Param('name') name: string): Promise<ApiKeyView> {
    return this.keys.revoke(org, name);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('apikey', 'delete')
  @ApiNoContentResponse('Deleted.')
  @ApiErrors(ErrorCode.NOT_FOUND)
  async remove(@CurrentOrg() org: string, @Param('name') name: string): Promise<void> {
    await this.keys.delete(org, name);
  }
}
