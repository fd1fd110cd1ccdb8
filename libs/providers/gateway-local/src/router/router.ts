import type { KongRoute, KongService } from '../kong-entities';
import { escapeUpstreamPath, normalizeRequestPath, queryOf } from './normalize-path';
import { groupPaths, isRegexPath, routePriority } from './priority';
import { sanitizePostfix, upstreamPathV0 } from './upstream-path';

/** What the router reads of a request. */
export interface RouterRequest {
  method: string;
  /** The request target as received: path and query. */
  target: string;
  /** The Host header, with its port if it had one. */
  host: string;
  /** Lower-case header names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** The port the proxy received the request on (for hosts written `name:port`). */
  localPort: number;
}

/** Regex captures of the matched path, as Kong's `uri_captures`: positional from 1, and named. */
export interface UriCaptures {
  full: string;
  unnamed: string[];
  named: Record<string, string>;
}

export interface RouteMatch {
  route: KongRoute;
  service: KongService | undefined;
  /** The part of the path strip_path removed (the matched prefix or regex match), else undefined. */
  strippedPrefix: string | undefined;
  /** The normalized request path the route matched. */
  path: string;
  uriCaptures: UriCaptures | undefined;
  /** The service path joined with the request path (v0), plus the request's query string. */
  upstreamTarget: string;
  /** The client's Host header when preserve_host is set; else the service host is sent. */
  upstreamHost: string | undefined;
}

export class RouteConfigError extends Error {}

interface PathMatcher {
  regex: RegExp | undefined;
  prefix: string;
}

interface HostMatcher {
  kind: 'exact' | 'suffix' | 'prefix';
  value: string;
  port: number | undefined;
}

interface Candidate {
  route: KongRoute;
  service: KongService | undefined;
  priority: bigint;
  methods: Set<string> | undefined;
  hosts: HostMatcher[] | undefined;
  headers: { name: string; values: { regex: RegExp | undefined; value: string }[] }[];
  paths: PathMatcher[] | undefined;
}

function compileHost(host: string): HostMatcher {
  const lower = host.toLowerCase();
  const portAt = lower.lastIndexOf(':');
  const name = portAt > 0 && /^\d+$/.test(lower.slice(portAt + 1)) ? lower.slice(0, portAt) : lower;
  const port = name === lower ? undefined : Number(lower.slice(portAt + 1));
  if (name.startsWith('*')) return { kind: 'suffix', value: name.slice(1), port };
  if (name.endsWith('*')) return { kind: 'prefix', value: name.slice(0, -1), port };
  return { kind: 'exact', value: name, port };
}

/** A `~` path as Kong 3.x runs it: anchored at the start only; PCRE's `(?P<name>` is accepted. */
function compilePath(route: KongRoute, path: string): PathMatcher {
  if (!isRegexPath(path)) return { regex: undefined, prefix: path };
  const source = path.slice(1).replace(/\(\?P</g, '(?<');
  try {
    return { regex: new RegExp(`^(?:${source})`), prefix: '' };
  } catch (error) {
    throw new RouteConfigError(`route ${route.name ?? route.id}: invalid regex path '${path}': ${(error as Error).message}`);
  }
}

function compileHeaderValue(value: string): { regex: RegExp | undefined; value: string } {
  if (!value.startsWith('~*')) return { regex: undefined, value: value.toLowerCase() };
  return { regex: new RegExp(value.slice(2), 'i'), value };
}

function splitHost(host: string): { name: string; port: number | undefined } {
  const lower = host.toLowerCase();
  if (lower.startsWith('[')) {
    const end = lower.indexOf(']');
    const port = lower.slice(end + 2);
    return { name: lower.slice(0, end + 1), port: port ? Number(port) : undefined };
  }
  const portAt = lower.lastIndexOf(':');
  if (portAt === -1) return { name: lower, port: undefined };
  return { name: lower.slice(0, portAt), port: Number(lower.slice(portAt + 1)) };
}

function hostMatches(matchers: HostMatcher[], name: string, port: number): boolean {
  return matchers.some((matcher) => {
    if (matcher.port !== undefined && matcher.port !== port) return false;
    if (matcher.kind === 'exact') return name === matcher.value;
    if (matcher.kind === 'suffix') return name.endsWith(matcher.value);
    return name.startsWith(matcher.value);
  });
}

function headerValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function matchPath(paths: PathMatcher[], path: string): { matched: string; captures: UriCaptures | undefined } | undefined {
  for (const matcher of paths) {
    if (!matcher.regex) {
      if (path.startsWith(matcher.prefix)) return { matched: matcher.prefix, captures: undefined };
      continue;
    }
    const found = matcher.regex.exec(path);
    if (!found) continue;
    const unnamed = found.slice(1).map((value) => value ?? '');
    const named = Object.fromEntries(Object.entries(found.groups ?? {}).map(([key, value]) => [key, value ?? '']));
    return { matched: found[0], captures: unnamed.length > 0 ? { full: found[0], unnamed, named } : undefined };
  }
  return undefined;
}

/**
 * Routes compiled into Kong 3.x's `traditional_compatible` matching order: every route (one entry
 * per path group) sorted by its priority (see routePriority), ties by the greater id; a request
 * takes the first whose every configured field matches (any one value of each field).
 */
export class Router {
  private readonly candidates: Candidate[];

  constructor(routes: KongRoute[], services: KongService[]) {
    const servicesById = new Map(services.map((service) => [service.id, service]));
    const candidates: Candidate[] = [];
    for (const route of routes) {
      const service = route.service ? servicesById.get(route.service.id) : undefined;
      if (route.service && !service)
        throw new RouteConfigError(`route ${route.name ?? route.id}: service ${route.service.id} does not exist`);
      const shared = {
        route,
        service,
        methods: route.methods?.length ? new Set(route.methods.map((method) => method.toUpperCase())) : undefined,
        hosts: route.hosts?.length ? route.hosts.map(compileHost) : undefined,
        headers: Object.entries(route.headers ?? {}).map(([name, values]) => ({
          name: name.toLowerCase(),
          values: values.map(compileHeaderValue),
        })),
      };
      const groups = route.paths?.length ? groupPaths(route.paths) : [[]];
      for (const group of groups) {
        candidates.push({
          ...shared,
          priority: routePriority(route, group),
          paths: group.length ? group.map((path) => compilePath(route, path)) : undefined,
        });
      }
    }
    // Kong's ATC router keeps matchers ordered by (priority, route id) and walks them from the top, so
    // equal priorities go to the greater id (not created_at, as the pre-3.0 router did).
    candidates.sort(
      (a, b) =>
        (a.priority === b.priority ? 0 : a.priority > b.priority ? -1 : 1) ||
        (a.route.id < b.route.id ? 1 : a.route.id > b.route.id ? -1 : 0),
    );
    this.candidates = candidates;
  }

  match(request: RouterRequest): RouteMatch | undefined {
    const path = normalizeRequestPath(request.target);
    const method = request.method.toUpperCase();
    const host = splitHost(request.host);
    const port = host.port ?? request.localPort;
    for (const candidate of this.candidates) {
      if (candidate.methods && !candidate.methods.has(method)) continue;
      if (candidate.hosts && !hostMatches(candidate.hosts, host.name, port)) continue;
      if (!candidate.headers.every((header) => this.headerMatches(header.values, headerValues(request.headers[header.name])))) continue;
      let matched: ReturnType<typeof matchPath> = { matched: '/', captures: undefined };
      if (candidate.paths) {
        matched = matchPath(candidate.paths, path);
        if (!matched) continue;
      }
      return this.result(candidate, request, path, matched);
    }
    return undefined;
  }

  private headerMatches(expected: Candidate['headers'][number]['values'], actual: string[]): boolean {
    return actual.some((value) => expected.some((one) => (one.regex ? one.regex.test(value) : one.value === value.toLowerCase())));
  }

  private result(
    candidate: Candidate,
    request: RouterRequest,
    path: string,
    matched: { matched: string; captures: UriCaptures | undefined },
  ): RouteMatch {
    const { route, service } = candidate;
    const strip = route.strip_path ?? true;
    const prefix = strip ? matched.matched : '/';
    const postfix = sanitizePostfix(path.slice(prefix.length));
    const upstreamPath = upstreamPathV0(route, postfix, path, service?.path || '/');
    return {
      route,
      service,
      strippedPrefix: strip && matched.matched !== '/' ? matched.matched : undefined,
      path,
      uriCaptures: matched.captures,
      upstreamTarget: escapeUpstreamPath(upstreamPath) + queryOf(request.target),
      upstreamHost: route.preserve_host ? request.host : undefined,
    };
  }
}
