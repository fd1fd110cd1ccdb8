import { KONG_ROUTE_DEFAULTS, type KongPluginInput, type KongRouteInput, type KongServiceInput } from '@dispatch/kong-client';
import { GATEWAY_API_HEADER, GATEWAY_AUTH_HEADER, GATEWAY_SECRET_HEADER } from '@dispatch/contracts';
import { servedPaths, type ApiSpec } from '../api/api-spec';

/** Every entity the platform writes to Kong carries it: what the reconcile loop lists, and all it may delete. */
export const DISPATCH_TAG = 'dispatch';

/** Where the gateway sends an API's requests: function-manager's invoke route. */
export interface UpstreamConfig {
  /** function-manager's base URL, e.g. http://function-manager:8080. */
  functionManagerUrl: string;
  /** How long Kong waits on the function, in ms. */
  timeoutMs: number;
  /** What the gateway proves itself with to the invoke route (GATEWAY_SHARED_SECRET); a placeholder in exports. */
  gatewaySecret: string;
}

/** What the mapping needs of an API. */
export interface MappedApi {
  org: string;
  name: string;
  spec: ApiSpec;
}

export interface WantedPlugin {
  instanceName: string;
  plugin: KongPluginInput;
}

/** The Kong entities one API is served by. */
export interface WantedEntities {
  /** Name of its service and of its route: `<org>.<api>`. */
  name: string;
  service: KongServiceInput;
  route: KongRouteInput;
  /** Scoped to the service. */
  plugins: WantedPlugin[];
}

/**
 * The Kong name of an API's entities: deterministic, so writing them again is a PUT of the same
 * name (idempotent), and unambiguous, since neither an org nor an API name can hold a ".".
 */
export function kongName(org: string, api: string): string {
  return `${org}.${api}`;
}

export function kongTags(org: string, api: string): string[] {
  return [DISPATCH_TAG, `org:${org}`, `api:${api}`];
}

/**
 * The wanted Kong entities of an API: one service whose upstream is function-manager's invoke
 * route of the API's function, one route matching its paths (under `/<org>` without hosts),
 * methods, hosts and protocols, with strip_path so what follows the matched prefix reaches the
 * function, and a plugin per feature the API asks for.
 *
 * Authentication is checked by the invoke route, with the verifier every platform route uses: Kong
 * OSS's jwt plugin cannot require a token's org claim to be the API's org, and its key-auth would
 * need every org's API keys in plaintext in Kong's store (the platform keeps only their hashes), and
 * would see a revocation only at the next resync. Kong tells the invoke route which check the API
 * wants, and proves it is Kong, with headers its request-transformer sets after removing any a
 * client sent (remove runs before add).
 */
export function wantedEntities(api: MappedApi, upstream: UpstreamConfig): WantedEntities {
  const { org, name, spec } = api;
  const id = kongName(org, name);
  const tags = kongTags(org, name);
  const base = new URL(upstream.functionManagerUrl);
  const secure = base.protocol === 'https:';
  const service: KongServiceInput = {
    protocol: secure ? 'https' : 'http',
    // An IPv6 address is bracketed in a URL, not in Kong's host field.
    host: base.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: base.port ? Number(base.port) : secure ? 443 : 80,
    path: `${base.pathname.replace(/\/+$/, '')}/v1/invoke/${encodeURIComponent(org)}/${encodeURIComponent(spec.function)}`,
    enabled: spec.enabled,
    retries: 0,
    connect_timeout: 10_000,
    read_timeout: upstream.timeoutMs,
    write_timeout: upstream.timeoutMs,
    tags,
  };
  // A browser's preflight is an OPTIONS request: the route must match it for the cors plugin to answer.
  const methods = spec.cors && !spec.methods.includes('OPTIONS') ? [...spec.methods, 'OPTIONS'] : [...spec.methods];
  const route: KongRouteInput = {
    ...KONG_ROUTE_DEFAULTS,
    paths: kongPaths(org, spec),
    methods,
    ...(spec.hosts.length ? { hosts: [...spec.hosts] } : {}),
    protocols: [...spec.protocols],
    strip_path: true,
    tags,
  };
  return { name: id, service, route, plugins: wantedPlugins(api, upstream.gatewaySecret, tags) };
}

/**
 * The route's paths: the served ones, except that an org's root (`/<org>`) becomes `/<org>/` and
 * the exact `/<org>`, since Kong's prefix `/<org>` would also match `/<org>…` of a longer org name.
 */
function kongPaths(org: string, spec: ApiSpec): string[] {
  const root = `/${org}`;
  return servedPaths(org, spec).flatMap((p) => (!spec.hosts.length && p === root ? [`${root}/`, `~${root}$`] : [p]));
}

function wantedPlugins(api: MappedApi, gatewaySecret: string, tags: string[]): WantedPlugin[] {
  const { spec } = api;
  const id = kongName(api.org, api.name);
  const plugins: WantedPlugin[] = [];
  const add = (name: string, config: Record<string, unknown>) =>
    plugins.push({ instanceName: `${id}.${name}`, plugin: { name, config, tags } });
  if (spec.cors) {
    add('cors', {
      origins: spec.cors.origins,
      methods: spec.cors.methods,
      headers: spec.cors.headers,
      exposed_headers: spec.cors.exposedHeaders,
      credentials: spec.cors.credentials,
      ...(spec.cors.maxAgeSeconds !== undefined ? { max_age: spec.cors.maxAgeSeconds } : {}),
    });
  }
  if (spec.rateLimit) {
    // Counted in each Kong node (no shared store to reach) per client address: callers are not consumers here.
    add('rate-limiting', { ...spec.rateLimit, policy: 'local', limit_by: 'ip' });
  }
  if (spec.requestSizeLimit !== null) add('request-size-limiting', { allowed_payload_size: spec.requestSizeLimit, size_unit: 'bytes' });
  const gatewayHeaders = [GATEWAY_SECRET_HEADER, GATEWAY_AUTH_HEADER, GATEWAY_API_HEADER];
  add('request-transformer', {
    remove: { headers: gatewayHeaders },
    add: {
      headers: [
        `${GATEWAY_SECRET_HEADER}:${gatewaySecret}`,
        `${GATEWAY_AUTH_HEADER}:${spec.authentication}`,
        `${GATEWAY_API_HEADER}:${api.name}`,
      ],
    },
  });
  return plugins;
}

/**
 * Whether what Kong reports differs from what is wanted: every field written must read back the
 * same (objects compared field by field, since Kong adds its defaults to them; arrays as wholes).
 */
export function differs(wanted: unknown, actual: unknown): boolean {
  if (Array.isArray(wanted)) {
    return !Array.isArray(actual) || wanted.length !== actual.length || wanted.some((w, i) => differs(w, actual[i]));
  }
  if (wanted !== null && typeof wanted === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return true;
    return Object.entries(wanted).some(([k, w]) => w !== undefined && differs(w, (actual as Record<string, unknown>)[k]));
  }
  return wanted !== actual;
}
