import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@dispatch/contracts';
import { ApiPageQuery, ApiZodBody, Authorize, CurrentPrincipal, parsePageQuery, ZodPipe } from '@dispatch/platform';
import { apiKeyBody, type ApiKeyBody } from './api-key.dto';
import { ApiKeyService } from './api-key.service';

/** API keys of the caller's org: each acts with one role; shown once at creation. */
@ApiTags('iam')
@Controller('v1/iam/apikeys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyService) {}

  @Post()
  @Authorize('apikey', 'create')
  @ApiZodBody(apiKeyBody)
  create(@CurrentPrincipal() p: Principal, @Body(new ZodPipe(apiKeyBody)) body: ApiKeyBody) {
    return this.keys.create(p.org, body);
  }

  @Get()
  @Authorize('apikey', 'list')
  @ApiPageQuery()
  list(@CurrentPrincipal() p: Principal, @Query() query: Record<string, string>) {
    return this.keys.list(p.org, parsePageQuery(query));
  }

  @Get(':name')
  @Authorize('apikey', 'get')
  get(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
    return this.keys.get(p.org, name);
  }

  @Post(':name/revoke')
  @HttpCode(200)
  @Authorize('apikey', 'update')
  revoke(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
    return this.keys.revoke(p.org, name);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('apikey', 'delete')
  async remove(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
    await this.keys.delete(p.org, name);
  }
}
