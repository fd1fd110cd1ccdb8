import type { KongRoute } from '../kong-entities';

/**
 * Kong's `path_handling: v0` join of the service path and the request path, the only one the
 * `traditional_compatible` router of Kong 3.x applies (kong/router/utils.lua get_upstream_uri_v0):
 * with strip_path the matched prefix is dropped and the rest appended to the service path, keeping
 * a trailing slash of either; without it the whole request path is appended.
 */
export function upstreamPathV0(
  route: Pick<KongRoute, 'strip_path'>,
  requestPostfix: string,
  requestPath: string,
  upstreamBase: string,
): string {
  const stripPath = route.strip_path ?? true;
  if (upstreamBase.endsWith('/')) {
    if (stripPath) {
      if (requestPostfix === '') {
        if (upstreamBase === '/') return '/';
        if (requestPath.endsWith('/')) return upstreamBase;
        return upstreamBase.slice(0, -1);
      }
      if (requestPostfix.startsWith('/')) return upstreamBase.slice(0, -1) + requestPostfix;
      return upstreamBase + requestPostfix;
    }
    return upstreamBase + requestPath.slice(1);
  }
  if (stripPath) {
    if (requestPostfix === '') return requestPath.length > 1 && requestPath.endsWith('/') ? `${upstreamBase}/` : upstreamBase;
    if (requestPostfix.startsWith('/')) return upstreamBase + requestPostfix;
    return `${upstreamBase}/${requestPostfix}`;
  }
  if (requestPath === '/') return upstreamBase;
  return upstreamBase + requestPath;
}

/** Kong's sanitize_uri_postfix: a stripped remainder never starts with a dot segment. */
export function sanitizePostfix(postfix: string): string {
  if (postfix === '.' || postfix === '..') return '';
  if (postfix.startsWith('./')) return postfix.slice(2);
  if (postfix.startsWith('../')) return postfix.slice(3);
  return postfix;
}
