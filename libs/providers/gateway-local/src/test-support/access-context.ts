import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayState, KongRoute } from '../kong-entities';
import { emptyGatewayState } from '../kong-entities';
import type { AccessContext, FilteredResponse, GatewayPlugin, PluginRun } from '../plugins/plugin';
import { validatePlugin } from '../plugins/validate';
import { CompiledState } from '../proxy/compiled-state';
import { bundledPlugins } from '../plugins/registry';
import type { RouteMatch } from '../router';

export interface FakeRequest {
  method?: string;
  path?: string;
  query?: string;
  headers?: IncomingHttpHeaders;
  body?: string;
  clientIp?: string;
  route?: Partial<KongRoute>;
  state?: Partial<GatewayState>;
  now?: number;
}

/** What a plugin did to the upstream request, for assertions. */
export interface UpstreamRecord {
  /** Headers set (undefined: cleared) by the plugin, over the request's own. */
  headers: Record<string, string | string[] | undefined>;
  clearedQuery: string[];
  /** The query string the plugin set, if it did. */
  query: string | undefined;
  method: string | undefined;
  path: string | undefined;
  body: Buffer | undefined;
}

/** An AccessContext over a made-up request, recording what plugins change upstream. */
export function accessContext(fake: FakeRequest = {}): { ctx: AccessContext; upstream: UpstreamRecord; bodyReads: () => number } {
  const lookups = new CompiledState({ ...emptyGatewayState(), ...fake.state }, bundledPlugins());
  const upstream: UpstreamRecord = { headers: {}, clearedQuery: [], query: undefined, method: undefined, path: undefined, body: undefined };
  let reads = 0;
  const body = Buffer.from(fake.body ?? '');
  const route: KongRoute = { id: 'route-1', ...fake.route };
  const match: RouteMatch = {
    route,
    service: { id: 'service-1', protocol: 'http', host: 'upstream.test' },
    strippedPrefix: undefined,
    path: fake.path ?? '/',
    uriCaptures: undefined,
    upstreamTarget: fake.path ?? '/',
    upstreamHost: undefined,
  };
  const ctx: AccessContext = {
    request: {
      method: fake.method ?? 'GET',
      path: fake.path ?? '/',
      query: new URLSearchParams(fake.query ?? ''),
      headers: fake.headers ?? {},
      headersDistinct: Object.fromEntries(
        Object.entries(fake.headers ?? {}).map(([name, value]) => [name, Array.isArray(value) ? value : [String(value)]]),
      ),
      clientIp: fake.clientIp ?? '192.0.2.1',
      readBody: async (maxBytes = Infinity) => {
        reads += 1;
        return body.length > maxBytes ? 'too-large' : body;
      },
    },
    match,
    requestId: 'req-1',
    now: () => fake.now ?? Date.UTC(2026, 0, 1, 0, 0, 0),
    consumer: undefined,
    credential: undefined,
    responseHeaders: {},
    lookups,
    upstream: {
      headers: () => {
        const current: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries({ ...fake.headers, ...upstream.headers }))
          if (value !== undefined) current[name.toLowerCase()] = value;
        return current;
      },
      setHeader: (name, value) => (upstream.headers[name.toLowerCase()] = value),
      clearHeader: (name) => (upstream.headers[name.toLowerCase()] = undefined),
      clearQueryArg: (name) => upstream.clearedQuery.push(name),
      query: () => upstream.query ?? fake.query ?? '',
      setQuery: (query) => (upstream.query = query),
      setMethod: (method) => (upstream.method = method),
      setPath: (path) => (upstream.path = path),
      setBody: (replaced) => (upstream.body = replaced),
    },
  };
  return { ctx, upstream, bodyReads: () => reads };
}

/** A plugin's access then header_filter, with its config validated and defaulted as the proxy does. */
export async function runPlugin<Config>(
  plugin: GatewayPlugin<Config>,
  config: Record<string, unknown>,
  ctx: AccessContext,
  response: FilteredResponse = { status: 200, headers: {} },
  scope: Partial<Pick<PluginRun, 'routeId' | 'serviceId' | 'consumerId'>> = {},
) {
  const { config: validated } = validatePlugin({ id: 'plugin-1', name: plugin.name, config }, plugin);
  const run: PluginRun = { pluginId: 'plugin-1', routeId: undefined, serviceId: undefined, consumerId: undefined, ...scope, ctx: {} };
  const exit = await plugin.access?.(validated, ctx, run);
  const filtered = exit ? { status: exit.status, headers: { ...exit.headers } } : response;
  plugin.headerFilter?.(validated, ctx, filtered, run);
  return { exit, response: filtered, body: exit?.body ? (JSON.parse(exit.body) as Record<string, unknown>) : undefined };
}
