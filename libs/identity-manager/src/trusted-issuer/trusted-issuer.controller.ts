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
import { issuerBody, type IssuerBody, issuerUpdateBody, type IssuerUpdateBody } from './trusted-issuer.dto';
import { TrustedIssuerService } from './trusted-issuer.service';
import { issuerViewSchema } from './trusted-issuer-view';

type IssuerView = z.output<typeof issuerViewSchema>;

/** Identity providers the caller's org trusts besides the deployment-wide ones; they vouch for this org only. */
@ApiTags('iam')
@Controller('v1/iam/issuers')
export class IssuersController {
  constructor(private readonly issuers: TrustedIssuerService) {}

  @Post()
  @Authorize('issuer', 'create')
  @ApiZodBody(issuerBody)
  @ApiZodResponse(201, issuerViewSchema, { description: 'The trusted issuer, created.' })
  @ApiErrors(ErrorCode.NAME_CONFLICT)
  create(@CurrentOrg() org: string, @Body(new ZodPipe(issuerBody)) body: IssuerBody): Promise<IssuerView> {
    return this.issuers.create(org, body);
  }

  @Get()
  @Authorize('issuer', 'list')
  @ApiPageQuery()
  @ApiPageResponse(issuerViewSchema, { description: "The org's trusted issuers, by name." })
  @ApiErrors()
  list(@CurrentOrg() org: string, @PageQuery() page: PageRequest): Promise<Page<IssuerView>> {
    return this.issuers.list(org, page);
  }

  @Get(':name')
  @Authorize('issuer', 'get')
  @ApiZodResponse(200, issuerViewSchema, { description: 'The trusted issuer.' })
  @ApiErrors(ErrorCode.NOT_FOUND)
  get(@CurrentOrg() org: string, @Param('name') name: string): Promise<IssuerView> {
    return this.issuers.get(org, name);
  }

  @Put(':name')
  @Authorize('issuer', 'update')
  @ApiZodBody(issuerUpdateBody)
  @ApiZodResponse(200, issuerViewSchema, { description: 'The trusted issuer, changed.' })
  @ApiErrors(ErrorCode.NOT_FOUND)
  update(
    @CurrentOrg() org: string,
    @Param('name') name: string,
    @Body(new ZodPipe(issuerUpdateBody)) body: IssuerUpdateBody,
  ): Promise<IssuerView> {
    return this.issuers.update(org, name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('issuer', 'delete')
  @ApiNoContentResponse('Deleted.')
  @ApiErrors(ErrorCode.NOT_FOUND)
  async remove(@CurrentOrg() org: string, @Param('name') name: string): Promise<void> {
    await this.issuers.delete(org, name);
  }
}
