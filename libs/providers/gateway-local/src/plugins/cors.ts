import { kongEmptyExit } from '../kong-error';
import { corsSchema } from './schemas/cors.schema';
import { type FilteredResponse, type GatewayPlugin, getHeader, setHeader } from './plugin';

export interface CorsConfig {
  origins?: string[];
  methods: string[];
  headers?: string[];
  exposed_headers?: string[];
  credentials: boolean;
  max_age?: number;
  preflight_continue: boolean;
  private_network: boolean;
}

interface Domain {
  regex?: RegExp;
  domain?: string;
  byHost: boolean;
}

const PLAIN_ORIGIN = /^[A-Za-z0-9.:/-]+$/;

/** Kong's normalize_origin: scheme://host[:port] with the scheme's default port dropped. */
function normalizeOrigin(origin: string): { domain: string; host: string } {
  try {
    const url = new URL(origin);
    if (!url.host) return { domain: origin, host: origin };
    return { domain: `${url.protocol}//${url.host}`, host: url.hostname };
  } catch {
    return { domain: origin, host: origin };
  }
}

const compiled = new WeakMap<CorsConfig, Domain[] | 'all'>();

function domainsOf(config: CorsConfig): Domain[] | 'all' {
  let domains = compiled.get(config);
  if (domains) return domains;
  domains = [];
  for (const entry of config.origins ?? []) {
    if (entry === '*') {
      domains = 'all';
      break;
    }
    const byHost = !entry.includes(':');
    if (PLAIN_ORIGIN.test(entry)) {
      domains.push({ domain: normalizeOrigin(entry).domain, byHost });
      continue;
    }
    // Kong anchors origin regexes at both ends (user anchors accepted) and matches them against the
    // origin's host, or its whole scheme://host:port when the pattern has a colon.
    let source = entry.endsWith('$') ? entry : `${entry}$`;
    if (source.startsWith('^')) source = source.slice(1);
    domains.push({ regex: new RegExp(`^(?:${source.slice(0, -1)})$`), byHost });
  }
  compiled.set(config, domains);
  return domains;
}

/** Kong's configure_origin: sets Access-Control-Allow-Origin; returns whether it allowed all. */
function configureOrigin(
  config: CorsConfig,
  headers: Record<string, string | string[]>,
  origin: string | undefined,
  append: boolean,
): boolean {
  const origins = config.origins ?? [];
  if (origins.length === 0 || (origins.length === 1 && origins[0] === '*')) {
    setHeader(headers, 'Access-Control-Allow-Origin', '*');
    return true;
  }
  addVary(headers, append);
  if (origins.length === 1 && PLAIN_ORIGIN.test(origins[0]!)) {
    setHeader(headers, 'Access-Control-Allow-Origin', origins[0]!);
    return false;
  }
  if (origin) {
    const domains = domainsOf(config);
    if (domains === 'all') {
      setHeader(headers, 'Access-Control-Allow-Origin', '*');
      return true;
    }
    const requested = normalizeOrigin(origin);
    for (const domain of domains) {
      const found = domain.regex
        ? domain.regex.test(domain.byHost ? requested.host : requested.domain)
        : requested.domain === domain.domain;
      if (found) {
        setHeader(headers, 'Access-Control-Allow-Origin', requested.domain);
        return false;
      }
    }
  }
  setHeader(headers, 'Access-Control-Allow-Origin', undefined);
  return false;
}

function addVary(headers: Record<string, string | string[]>, append: boolean): void {
  const existing = Object.keys(headers).find((key) => key.toLowerCase() === 'vary');
  if (append && existing) {
    const value = headers[existing]!;
    headers[existing] = [...(Array.isArray(value) ? value : [value]), 'Origin'];
  } else setHeader(headers, 'Vary', 'Origin');
}

function configureCredentials(
  config: CorsConfig,
  headers: Record<string, string | string[]>,
  allowAll: boolean,
  origin: string | undefined,
  append: boolean,
): void {
  if (!config.credentials) return;
  if (!allowAll) {
    setHeader(headers, 'Access-Control-Allow-Credentials', 'true');
    return;
  }
  // The Allow-Origin '*' cannot go with credentials: echo the origin instead.
  if (origin) {
    addVary(headers, append);
    setHeader(headers, 'Access-Control-Allow-Origin', origin);
    setHeader(headers, 'Access-Control-Allow-Credentials', 'true');
  }
}

/** Kong's cors plugin (kong/plugins/cors/handler.lua), priority 2000. */
export const corsPlugin: GatewayPlugin<CorsConfig> = {
  name: 'cors',
  priority: 2000,
  schema: corsSchema,
  access(config, ctx, run) {
    const { request } = ctx;
    const origin = getHeader(request.headers, 'origin');
    if (request.method !== 'OPTIONS' || !origin || !getHeader(request.headers, 'access-control-request-method')) return;
    // A preflight: answered here, or left to the upstream; either way header_filter adds nothing.
    run.ctx['skipResponseHeaders'] = true;
    if (config.preflight_continue) return;
    const headers: Record<string, string | string[]> = {};
    const allowAll = configureOrigin(config, headers, origin, false);
    configureCredentials(config, headers, allowAll, origin, false);
    if (config.headers?.length) setHeader(headers, 'Access-Control-Allow-Headers', config.headers.join(','));
    else setHeader(headers, 'Access-Control-Allow-Headers', getHeader(request.headers, 'access-control-request-headers'));
    setHeader(headers, 'Access-Control-Allow-Methods', config.methods.join(','));
    if (config.max_age !== undefined) setHeader(headers, 'Access-Control-Max-Age', String(config.max_age));
    if (config.private_network && getHeader(request.headers, 'access-control-request-private-network') === 'true') {
      setHeader(headers, 'Access-Control-Allow-Private-Network', 'true');
    }
    return kongEmptyExit(200, headers as Record<string, string>);
  },
  headerFilter(config, ctx, response: FilteredResponse, run) {
    if (run.ctx['skipResponseHeaders']) return;
    const origin = getHeader(ctx.request.headers, 'origin');
    if (!origin) return;
    const allowAll = configureOrigin(config, response.headers, origin, true);
    configureCredentials(config, response.headers, allowAll, origin, true);
    if (config.exposed_headers?.length) setHeader(response.headers, 'Access-Control-Expose-Headers', config.exposed_headers.join(','));
  },
};
