import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { Action, Principal, Resource } from '@dispatch/contracts';

export const AUTHORIZE_KEY = 'dispatch:authorize';

export interface AuthorizeRequirement {
  /** Absent for routes that need a verified caller but decide permissions themselves. */
  resource?: Resource;
  action?: Action;
  /** Also requires a platform admin: an admin of the platform org (organizations are platform-wide). */
  platform?: boolean;
  /** The route proves its caller itself (the gateway's invoke route): no bearer token is required here. */
  selfAuthenticated?: boolean;
}

/**
 * What a `/v1` route needs: a verified principal allowed `action` on `resource` in its org.
 * Every `/v1` route must carry it; the guard refuses one that does not.
 */
export function Authorize(resource: Resource, action: Action, options: { platform?: boolean } = {}) {
  const requirement: AuthorizeRequirement = { resource, action, ...options };
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    SetMetadata(AUTHORIZE_KEY, requirement)(target, key as string, descriptor as PropertyDescriptor);
    ApiBearerAuth()(target, key as string, descriptor as PropertyDescriptor);
  };
}

/** A `/v1` route that needs a verified principal and checks permissions itself. */
export function Authenticated() {
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    SetMetadata(AUTHORIZE_KEY, {} satisfies AuthorizeRequirement)(target, key as string, descriptor as PropertyDescriptor);
    ApiBearerAuth()(target, key as string, descriptor as PropertyDescriptor);
  };
}

/**
 * A `/v1` route that authenticates its caller itself, not with the caller's bearer token: the
 * gateway's invoke route, which the gateway proves with a shared secret.
 */
export function SelfAuthenticated() {
  return SetMetadata(AUTHORIZE_KEY, { selfAuthenticated: true } satisfies AuthorizeRequirement);
}

/** The principal the guard verified for this request. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => principalOf(ctx));

/** The org of the principal the guard verified: the org an org-scoped route reads and writes. */
export const CurrentOrg = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => principalOf(ctx).org);

function principalOf(ctx: ExecutionContext): Principal {
  const principal = ctx.switchToHttp().getRequest<{ principal?: Principal }>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a route without @Authorize');
  return principal;
}
