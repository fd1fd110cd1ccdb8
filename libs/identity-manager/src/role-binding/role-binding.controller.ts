import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@dispatch/contracts';
import { ApiPageQuery, ApiZodBody, Authorize, CurrentPrincipal, parsePageQuery, ZodPipe } from '@dispatch/platform';
import { policyBody, type PolicyBody, policyUpdateBody, type PolicyUpdateBody } from './role-binding.dto';
import { RoleBindingService } from './role-binding.service';

/** Role bindings of the caller's org: who holds which role. Another org's bindings are not found. */
@ApiTags('iam')
@Controller('v1/iam/policies')
export class PoliciesController {
  constructor(private readonly bindings: RoleBindingService) {}

  @Post()
  @Authorize('policy', 'create')
  @ApiZodBody(policyBody)
  create(@CurrentPrincipal() p: Principal, @Body(new ZodPipe(policyBody)) body: PolicyBody) {
    return this.bindings.create(p.org, body);
  }

  @Get()
  @Authorize('policy', 'list')
  @ApiPageQuery()
  list(@CurrentPrincipal() p: Principal, @Query() query: Record<string, string>) {
    return this.bindings.list(p.org, parsePageQuery(query));
  }

  @Get(':name')
  @Authorize('policy', 'get')
  get(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
    return this.bindings.get(p.org, name);
  }

  @Put(':name')
  @Authorize('policy', 'update')
  @ApiZodBody(policyUpdateBody)
  update(@CurrentPrincipal() p: Principal, @Param('name') name: string, @Body(new ZodPipe(policyUpdateBody)) body: PolicyUpdateBody) {
    return this.bindings.update(p.org, name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('policy', 'delete')
  async remove(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
    await this.bindings.delete(p.org, name);
  }
}
