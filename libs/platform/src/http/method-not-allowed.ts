import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '../errors/dispatch-error';

/**
 * The methods each route pattern answers, for telling "this path has no such method" (405, with
 * `Allow`) from "no such path" (404). Fastify's router only says that nothing matched.
 */
export class RouteTable {
  private readonly routes = new Map<string, { segments: string[]; methods: Set<string> }>();

  add(methods: string | string[], url: string): void {
    let route = this.routes.get(url);
    if (!route) {
      route = { segments: url.split('/'), methods: new Set() };
      this.routes.set(url, route);
    }
    for (const method of Array.isArray(methods) ? methods : [methods]) route.methods.add(method.toUpperCase());
  }

  /** Every method some route answers on this path (no query string), sorted; empty for an unknown path. */
  allowedMethods(path: string): string[] {
    const segments = path.split('/');
    const allowed = new Set<string>();
    for (const route of this.routes.values()) {
      if (matches(route.segments, segments)) for (const method of route.methods) allowed.add(method);
    }
    return [...allowed].sort();
  }
}

/** `:name` matches one non-empty segment, a last `*` the rest; anything else matches itself. */
function matches(pattern: string[], segments: string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p === '*' && i === pattern.length - 1) return true;
    if (i >= segments.length) return false;
    if (p.startsWith(':') ? segments[i] === '' : p !== segments[i]) return false;
  }
  return pattern.length === segments.length;
}

/**
 * Answers 405 METHOD_NOT_ALLOWED with `Allow` when a request's path is served with other methods.
 * Register before any route is added: routes are recorded as Fastify adds them (`onRoute`).
 */
export function registerMethodNotAllowed(fastify: FastifyInstance): RouteTable {
  const table = new RouteTable();
  fastify.addHook('onRoute', (route) => table.add(route.method, route.url ?? route.path));
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done();
    const path = request.url.split('?', 1)[0];
    const allowed = table.allowedMethods(path);
    if (allowed.length === 0) return done();
    void reply.header('allow', allowed.join(', '));
    done(
      new DispatchError(ErrorCode.METHOD_NOT_ALLOWED, `${request.method} is not served on ${path}; use ${allowed.join(', ')}`, {
        allow: allowed,
      }),
    );
  });
  return table;
}
