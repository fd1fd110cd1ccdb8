import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiPageQuery, ApiZodBody, Authorize, CurrentOrg, PageQuery, type PageRequest, ZodPipe } from '@dispatch/platform';
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
  create(@CurrentOrg() org: string, @Body(new ZodPipe(policyBody)) body: PolicyBody) {
    return this.bindings.create(org, body);
  }

  @Get()
  @Authorize('policy', 'list')
  @ApiPageQuery()
  list(@CurrentOrg() org: string, @PageQuery() page: PageRequest) {
    return this.bindings.list(org, page);
  }

  @Get(':name')
  @Authorize('policy', 'get')
  get(@CurrentOrg() org: string, @Param('name') name: string) {
    return this.bindings.get(org, name);
  }

  @Put(':name')
  @Authorize('policy', 'update')
  @ApiZodBody(policyUpdateBody)
  update(@CurrentOrg() org: string, @Param('name') name: string, @Body(new ZodPipe(policyUpdateBody)) body: PolicyUpdateBody) {
    return this.bindings.update(org, name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('policy', 'delete')
  async remove(@CurrentOrg() org: string, @Param('name') name: string) {
    await this.bindings.delete(org, name);
  }
}
