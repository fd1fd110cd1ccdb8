import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ACTIONS, ErrorCode, RESOURCES, type Action, type Principal, type Resource } from '@dispatch/contracts';
import { ApiErrors, ApiZodResponse, Authenticated, CurrentPrincipal, DispatchError, IdentitySnapshot } from '@dispatch/platform';
import { callerViewSchema } from './auth-subrequest-view';

/**
 * For gateways that delegate authentication (an auth subrequest): 200 with who the caller is, or
 * the 401/403 the gateway passes on. Answered from memory, like every guard check.
 */
@ApiTags('iam')
@Controller('v1/iam/auth')
export class AuthSubrequestController {
  constructor(private readonly identity: IdentitySnapshot) {}

  @Get()
  @Authenticated()
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Verify the caller; with resource and action, also its permission' })
  @ApiQuery({ name: 'resource', required: false, enum: RESOURCES })
  @ApiQuery({ name: 'action', required: false, enum: ACTIONS })
  @ApiZodResponse(200, callerViewSchema, {
    description: 'Who the caller is (also in X-Dispatch-Org and X-Dispatch-Subject); with resource and action, it may do it.',
  })
  @ApiErrors(ErrorCode.VALIDATION_FAILED)
  async check(
    @CurrentPrincipal() principal: Principal,
    @Query('resource') resource: string | undefined,
    @Query('action') action: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<z.output<typeof callerViewSchema>> {
    if ((resource === undefined) !== (action === undefined)) {
      throw new DispatchError(ErrorCode.VALIDATION_FAILED, 'give both resource and action, or neither');
    }
    if (resource !== undefined && action !== undefined) {
      if (!(RESOURCES as readonly string[]).includes(resource) || !(ACTIONS as readonly string[]).includes(action)) {
        throw new DispatchError(
          ErrorCode.VALIDATION_FAILED,
          `resource must be one of ${RESOURCES.join(', ')}; action one of ${ACTIONS.join(', ')}`,
        );
      }
      const authorizer = await this.identity.current();
      if (!(await authorizer.can(principal, resource as Resource, action as Action))) {
        throw new DispatchError(ErrorCode.FORBIDDEN, `${principal.subject} may not ${action} ${resource} in org "${principal.org}"`);
      }
    }
    void reply.header('x-dispatch-org', principal.org).header('x-dispatch-subject', principal.subject);
    return { org: principal.org, subject: principal.subject, kind: principal.kind, groups: principal.groups };
  }
}
