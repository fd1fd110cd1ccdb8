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
import { policyBody, type PolicyBody, policyUpdateBody, type PolicyUpdateBody } from './role-binding.dto';
import { RoleBindingService } from './role-binding.service';
import { policyViewSchema } from './role-binding-view';

type PolicyView = z.output<typeof policyViewSchema>;

/** Role bindings of the caller's org: who holds which role. Another org's bindings are not found. */
@ApiTags('iam')
@Controller('v1/iam/policies')
export class PoliciesController {
  constructor(private readonly bindings: RoleBindingService) {}

  @Post()
  @Authorize('policy', 'create')
  @ApiZodBody(policyBody)
  @ApiZodResponse(201, policyViewSchema, { description: 'The policy, created.' })
  @ApiErrors(ErrorCode.NAME_CONFLICT, ErrorCode.ROLE_NOT_FOUND)
  create(@CurrentOrg() org: string, @Body(new ZodPipe(policyBody)) body: PolicyBody): Promise<PolicyView> {
    return this.bindings.create(org, body);
  }

  @Get()
  @Authorize('policy', 'list')
  @ApiPageQuery()
  @ApiPageResponse(policyViewSchema, { description: "The org's policys, by name." })
  @ApiErrors()
  list(@CurrentOrg() org: string, @PageQuery() page: PageRequest): Promise<Page<PolicyView>> {
    return this.bindings.list(org, page);
  }

  @Get(':name')
  @Authorize('policy', 'get')
  @ApiZodResponse(200, policyViewSchema, { description: 'The policy.' })
  @ApiErrors(ErrorCode.NOT_FOUND)
  get(@CurrentOrg() org: string, @Param('name') name: string): Promise<PolicyView> {
    return this.bindings.get(org, name);
  }

  @Put(':name')
  @Authorize('policy', 'update')
  @ApiZodBody(policyUpdateBody)
  @ApiZodResponse(200, policyViewSchema, { description: 'The policy, changed.' })
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.ROLE_NOT_FOUND)
  update(
    @CurrentOrg() org: string,
    @Param('name') name: string,
    @Body(new ZodPipe(policyUpdateBody)) body: PolicyUpdateBody,
  ): Promise<PolicyView> {
    return this.bindings.update(org, name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('policy', 'delete')
  @ApiNoContentResponse('Deleted.')
  @ApiErrors(ErrorCode.NOT_FOUND)
  async remove(@CurrentOrg() org: string, @Param('name') name: string): Promise<void> {
    await this.bindings.delete(org, name);
  }
}
