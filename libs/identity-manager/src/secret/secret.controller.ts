import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiPageQuery, ApiZodBody, Authorize, CurrentOrg, PageQuery, type PageRequest, ZodPipe } from '@dispatch/platform';
import { secretBody, type SecretBody, secretUpdateBody, type SecretUpdateBody } from './secret.dto';
import { SecretsService } from './secret.service';

/**
 * Key/value sets of the caller's org (Dispatch's `/v1/secret`). Values go out only on
 * `GET /v1/secret/{name}` (resource `secret`, action `get`, which viewers lack); lists and write
 * answers carry names and metadata. Limits: see secret-limits.ts (64 KiB, 256 keys per secret).
 */
@ApiTags('secrets')
@Controller('v1/secret')
export class SecretsController {
  constructor(private readonly secrets: SecretsService) {}

  @Post()
  @Authorize('secret', 'create')
  @ApiZodBody(secretBody)
  create(@CurrentOrg() org: string, @Body(new ZodPipe(secretBody)) body: SecretBody) {
    return this.secrets.create(org, body);
  }

  @Get()
  @Authorize('secret', 'list')
  @ApiPageQuery()
  list(@CurrentOrg() org: string, @PageQuery() page: PageRequest) {
    return this.secrets.list(org, page);
  }

  @Get(':name')
  @Authorize('secret', 'get')
  // Credentials: no cache on the way may keep a copy.
  @Header('cache-control', 'no-store')
  get(@CurrentOrg() org: string, @Param('name') name: string) {
    return this.secrets.get(org, name);
  }

  @Put(':name')
  @Authorize('secret', 'update')
  @ApiZodBody(secretUpdateBody)
  replace(@CurrentOrg() org: string, @Param('name') name: string, @Body(new ZodPipe(secretUpdateBody)) body: SecretUpdateBody) {
    return this.secrets.replace(org, name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('secret', 'delete')
  async remove(@CurrentOrg() org: string, @Param('name') name: string) {
    await this.secrets.delete(org, name);
  }
}
