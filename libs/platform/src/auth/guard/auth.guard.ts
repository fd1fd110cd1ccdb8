import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ErrorCode, type Principal } from '@dispatch/contracts';
import { DispatchError } from '../../errors/dispatch-error';
import { bearerTokenOf } from '../verify';
import { AUTHENTICATOR, type Authenticator } from './authenticator';
import { AUTHORIZE_KEY, type AuthorizeRequirement } from './authorize.decorator';
import { IdentitySnapshot } from './identity-snapshot';

/** What the guard leaves on the request for later stages (handlers, the audit hook). */
export type AuthorizedRequest = FastifyRequest & { principal?: Principal; authzRequirement?: AuthorizeRequirement };

/**
 * Guards every HTTP route: `/v1` routes need a verified principal holding the permission their
 * `@Authorize` names; a `/v1` route without `@Authorize` is refused rather than left open.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator,
    private readonly identity: IdentitySnapshot,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthorizedRequest>();
    const requirement = this.reflector.getAllAndOverride<AuthorizeRequirement | undefined>(AUTHORIZE_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!requirement) {
      if (!request.url.startsWith('/v1')) return true;
      throw new Error(`route ${request.routeOptions.url} declares no @Authorize`);
    }
    request.authzRequirement = requirement;
    if (requirement.selfAuthenticated) return true;
    const credential = bearerTokenOf(request.headers.authorization);
    if (!credential) {
      throw new DispatchError(ErrorCode.UNAUTHENTICATED, 'no credential: send "Authorization: Bearer <token or API key>"');
    }
    const principal = await this.authenticator.authenticate(credential);
    request.principal = principal;
    const { resource, action } = requirement;
    if (!resource || !action) return true;
    const authorizer = await this.identity.current();
    const allowed =
      (await authorizer.can(principal, resource, action)) && (!requirement.platform || principal.org === this.identity.platformOrg);
    if (!allowed) {
      const scope = requirement.platform
        ? `as a platform admin (an admin of org "${this.identity.platformOrg}")`
        : `in org "${principal.org}"`;
      throw new DispatchError(
        ErrorCode.FORBIDDEN,
        `${principal.subject} may not ${action} ${resource} ${scope}; ask an org admin for a role that grants it`,
      );
    }
    return true;
  }
}
