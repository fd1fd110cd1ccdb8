import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@dispatch/contracts';
import { ApiZodBody, Authorize, CurrentPrincipal, parsePageQuery, ZodPipe } from '@dispatch/platform';
import { IamService } from '../domain/iam.service';
import { policyBody, type PolicyBody, policyUpdateBody, type PolicyUpdateBody } from './schemas';

/** Role bindings of the caller's org: who holds which role. */
@ApiTags('iam')
@Controller('v1/iam/policies')
export class PoliciesController {
  constructor(private readonly iam: IamService) {}

  @Post()
  @Authorize('policy', 'create')
  @ApiZodBody(policyBody)
  create(@CurrentPrincipal() p: Principal, @Body(new ZodPipe(policyBody)) body: PolicyBody) {
    return this.iam.createPolicy(p.org, body);
  }

  @Get()
  @Authorize('policy', 'list')
  list(@CurrentPrincipal() p: Principal, @Query() query: Record<string, string>) {
    return this.iam.listPolicies(p.org, parsePageQuery(query));
  }

  @Get(':name')
  @Authorize('policy', 'get')
  get(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
    return this.iam.getPolicy(p.org, name);
  }

  @Put(':name')
  @Authorize('policy', 'update')
  @ApiZodBody(policyUpdateBody)
  update(@CurrentPrincipal() p: Principal, @Param('name') name: string, @Body(new ZodPipe(policyUpdateBody)) body: PolicyUpdateBody) {
    return this.iam.updatePolicy(p.org, name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('policy', 'delete')
  async remove(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
    await this.iam.deletePolicy(p.org, name);
  }
}
