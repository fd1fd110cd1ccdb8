import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiPageQuery, ApiZodBody, Authorize, CurrentOrg, PageQuery, type PageRequest, ZodPipe } from '@dispatch/platform';
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
  create(@CurrentOrg() org: string, @Body(new ZodPipe(apiKeyBody)) body: ApiKeyBody) {
    return this.keys.create(org, body);
  }

  @Get()
  @Authorize('apikey', 'list')
  @ApiPageQuery()
  list(@CurrentOrg() org: string, @PageQuery() page: PageRequest) {
    return this.keys.list(org, page);
  }

  @Get(':name')
  @Authorize('apikey', 'get')
  get(@CurrentOrg() org: string, @Param('name') name: string) {
    return this.keys.get(org, name);
  }

  @Post(':name/revoke')
  @HttpCode(200)
  @Authorize('apikey', 'update')
  revoke(@CurrentOrg() org: string, @Param('name') name: string) {
    return this.keys.revoke(org, name);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('apikey', 'delete')
  async remove(@CurrentOrg() org: string, @Param('name') name: string) {
    await this.keys.delete(org, name);
  }
}
