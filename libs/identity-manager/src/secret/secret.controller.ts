import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Put } from '@nestjs/common';
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
import { secretBody, type SecretBody, secretUpdateBody, type SecretUpdateBody } from './secret.dto';
import { SecretsService } from './secret.service';
import { secretSummarySchema, secretWithValuesSchema } from './secret-view';

type SecretSummary = z.output<typeof secretSummarySchema>;

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
  @ApiZodResponse(201, secretSummarySchema, { description: 'The secret, created.' })
  @ApiErrors(ErrorCode.NAME_CONFLICT)
  create(@CurrentOrg() org: string, @Body(new ZodPipe(secretBody)) body: SecretBody): Promise<SecretSummary> {
    return this.secrets.create(org, body);
  }

  @Get()
  @Authorize('secret', 'list')
  @ApiPageQuery()
  @ApiPageResponse(secretSummarySchema, { description: "The org's secrets, by name." })
  @ApiErrors()
  list(@CurrentOrg() org: string, @PageQuery() page: PageRequest): Promise<Page<SecretSummary>> {
    return this.secrets.list(org, page);
  }

  @Get(':name')
  @Authorize('secret', 'get')
  // Credentials: no cache on the way may keep a copy.
  @Header('cache-control', 'no-store')
  @ApiZodResponse(200, secretWithValuesSchema, { description: 'The secret with its values (the only answer that has them).' })
  @ApiErrors(ErrorCode.NOT_FOUND)
  get(@CurrentOrg() org: string, @Param('name') name: string): Promise<z.output<typeof secretWithValuesSchema>> {
    return this.secrets.get(org, name);
  }

  @Put(':name')
  @Authorize('secret', 'update')
  @ApiZodBody(secretUpdateBody)
  @ApiZodResponse(200, secretSummarySchema, { description: 'The secret, changed.' })
  @ApiErrors(ErrorCode.NOT_FOUND)
  replace(
    @CurrentOrg() org: string,
    @Param('name') name: string,
    @Body(new ZodPipe(secretUpdateBody)) body: SecretUpdateBody,
  ): Promise<SecretSummary> {
    return this.secrets.replace(org, name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('secret', 'delete')
  @ApiNoContentResponse('Deleted.')
  @ApiErrors(ErrorCode.NOT_FOUND)
  async remove(@CurrentOrg() org: string, @Param('name') name: string): Promise<void> {
    await this.secrets.delete(org, name);
  }
}
