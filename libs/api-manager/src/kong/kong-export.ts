import type { KongPluginInput, KongRouteInput, KongServiceInput } from '@dispatch/kong-client';
import { DISPATCH_TAG, wantedEntities, type MappedApi, type UpstreamConfig } from './kong-mapping';

/**
 * What stands for the gateway's shared secret in an export: decK's environment substitution
 * syntax, so the secret never leaves the platform in a file. decK 1.4 does not substitute it (later
 * releases do, from DECK_-prefixed variables): with it, the placeholder is replaced before a sync.
 */
export const EXPORT_SECRET_ENV = 'DECK_GATEWAY_SHARED_SECRET';
export const EXPORT_SECRET_PLACEHOLDER = `\${{ env "${EXPORT_SECRET_ENV}" }}`;

/** A Kong declarative config (kong.yml), as decK writes and DB-less Kong reads it. */
export interface KongDeclarativeConfig {
  _format_version: '3.0';
  /** decK syncs only entities with every one of these tags, and leaves the rest of the gateway alone. */
  _info: { select_tags: string[] };
  services: DeclarativeService[];
}

export type DeclarativeService = Omit<KongServiceInput, 'enabled'> & {
  name: string;
  routes: (KongRouteInput & { name: string; path_handling: string })[];
  plugins: (Omit<KongPluginInput, 'protocols' | 'config'> & { config: Record<string, unknown>; enabled: boolean; protocols: string[] })[];
};

/**
 * Kong's defaults (../shared/specs/kong/plugins, kong-export.spec.ts holds them to it) of what the
 * mapping leaves unset. decK 1.4 fills in none of a plugin's: a file without them would differ from
 * what Kong reports at every `deck diff`, so the export carries them.
 */
export const KONG_PLUGIN_DEFAULTS: Record<string, Record<string, unknown>> = {
  cors: { preflight_continue: false, private_network: false },
  'rate-limiting': {
    error_code: 429,
    error_message: 'API rate limit exceeded',
    fault_tolerant: true,
    hide_client_headers: false,
    sync_rate: -1,
  },
  'request-size-limiting': { require_content_length: false },
  'request-transformer': Object.fromEntries(
    ['add', 'append', 'remove', 'rename', 'replace'].map((op) => [op, { body: [], headers: [], querystring: [] }]),
  ),
};
export const KONG_PLUGIN_PROTOCOLS = ['grpc', 'grpcs', 'http', 'https'];
export const KONG_PATH_HANDLING = 'v0';

/**
 * The APIs as one declarative config: per API the service, route and plugins the reconcile loop
 * writes to Kong (the same mapping, names and tags), nested as decK dumps them, so a `deck sync` of
 * it or a DB-less Kong serves what the platform's gateway serves. The gateway's shared secret is
 * the placeholder, whatever the platform's is.
 *
 * Two things differ from what the loop writes, for decK 1.4 (whose file schema predates them):
 * plugins carry no instance name (decK keys them by name and service), and a disabled API is left
 * out rather than written with `enabled: false` on its service; a disabled service serves nothing,
 * so the gateway behaves the same.
 *
 * It selects the org's tags (`dispatch`, `org:<org>`): a `deck sync` of one org's file into a
 * shared Kong creates, changes and deletes that org's entities only, never another org's or the
 * operator's own.
 */
export function declarativeConfig(
  org: string,
  apis: readonly MappedApi[],
  upstream: Omit<UpstreamConfig, 'gatewaySecret'>,
): KongDeclarativeConfig {
  const services = apis
    .filter((api) => api.spec.enabled)
    .sort((a, b) => cmp(a.org, b.org) || cmp(a.name, b.name))
    .map((api): DeclarativeService => {
      const wanted = wantedEntities(api, { ...upstream, gatewaySecret: EXPORT_SECRET_PLACEHOLDER });
      const { enabled: _enabled, ...service } = wanted.service;
      return {
        name: wanted.name,
        ...service,
        routes: [{ name: wanted.name, ...wanted.route, path_handling: KONG_PATH_HANDLING }],
        plugins: wanted.plugins.map(({ plugin }) => ({
          ...plugin,
          enabled: true,
          protocols: [...KONG_PLUGIN_PROTOCOLS],
          config: withDefaults(KONG_PLUGIN_DEFAULTS[plugin.name] ?? {}, plugin.config ?? {}),
        })),
      };
    });
  return { _format_version: '3.0', _info: { select_tags: [DISPATCH_TAG, `org:${org}`] }, services };
}

/** `config` over `defaults`, records merged field by field. */
function withDefaults(defaults: Record<string, unknown>, config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(defaults);
  for (const [key, value] of Object.entries(config)) {
    const base = out[key];
    out[key] = isRecord(base) && isRecord(value) ? withDefaults(base, value) : value;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
