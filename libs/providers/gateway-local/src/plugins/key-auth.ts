import { kongError, type KongExit } from '../kong-error';
import type { KongConsumer, KongKeyAuthCredential } from '../kong-entities';
import { keyAuthSchema } from './schemas/key-auth.schema';
import { type AccessContext, type GatewayPlugin, getHeader } from './plugin';

export interface KeyAuthConfig {
  key_names: string[];
  key_in_header: boolean;
  key_in_query: boolean;
  key_in_body: boolean;
  hide_credentials: boolean;
  anonymous?: string;
  realm?: string;
  run_on_preflight: boolean;
}

/** The upstream headers Kong sets for the authenticated consumer (kong/constants.lua). */
export function setConsumerHeaders(
  ctx: AccessContext,
  consumer: KongConsumer | undefined,
  credential: KongKeyAuthCredential | undefined,
): void {
  ctx.consumer = consumer;
  ctx.credential = credential;
  const { upstream } = ctx;
  const set = (name: string, value: string | null | undefined) => (value ? upstream.setHeader(name, value) : upstream.clearHeader(name));
  set('X-Consumer-ID', consumer?.id);
  set('X-Consumer-Custom-ID', consumer?.custom_id);
  set('X-Consumer-Username', consumer?.username);
  set('X-Credential-Identifier', credential?.id);
  set('X-Anonymous-Consumer', credential ? undefined : 'true');
}

/** The request body as a key/value object, for key_in_body (JSON or url-encoded forms). */
function parseBody(body: Buffer, contentType: string | undefined): Record<string, unknown> {
  const type = (contentType ?? '').toLowerCase();
  try {
    if (type.includes('application/json')) {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    }
    if (type.includes('application/x-www-form-urlencoded')) {
      const params = new URLSearchParams(body.toString('utf8'));
      return Object.fromEntries(
        [...new Set(params.keys())].map((key) => [key, params.getAll(key).length > 1 ? params.getAll(key) : params.get(key)]),
      );
    }
  } catch {
    // Kong logs a body it cannot parse and looks no further in it.
  }
  return {};
}

function serializeBody(body: Record<string, unknown>, contentType: string | undefined): Buffer {
  if ((contentType ?? '').toLowerCase().includes('application/json')) return Buffer.from(JSON.stringify(body));
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(body))
    for (const one of Array.isArray(value) ? value : [value]) params.append(key, String(one));
  return Buffer.from(params.toString());
}

type AuthFailure = { status: number; message: string; headers: Record<string, string> };

async function authenticate(config: KeyAuthConfig, ctx: AccessContext, now: number): Promise<AuthFailure | undefined> {
  const wwwAuthenticate = { 'WWW-Authenticate': config.realm ? `Key realm="${config.realm}"` : 'Key' };
  const { request } = ctx;
  const contentType = getHeader(request.headers, 'content-type');
  let body: Record<string, unknown> | undefined;
  const readBody = async () => {
    if (!body) {
      const raw = await request.readBody();
      body = raw === 'too-large' ? {} : parseBody(raw, contentType);
    }
    return body;
  };
  let key: string | undefined;
  for (const name of config.key_names) {
    let value: unknown;
    if (config.key_in_header) {
      // Kong's header lookup is case-insensitive and reads `_` as `-`; a repeated header is a duplicate key.
      const values = request.headersDistinct[name.toLowerCase().replace(/_/g, '-')];
      value = values && values.length > 1 ? values : values?.[0];
    }
    if (value === undefined && config.key_in_query) {
      const all = request.query.getAll(name);
      value = all.length > 1 ? all : all[0];
    }
    if (value === undefined && config.key_in_body) value = (await readBody())[name];
    if (typeof value === 'string') {
      key = value;
      if (config.hide_credentials) {
        ctx.upstream.clearQueryArg(name);
        ctx.upstream.clearHeader(name);
        if (config.key_in_body) {
          const parsed = await readBody();
          if (name in parsed) {
            delete parsed[name];
            ctx.upstream.setBody(serializeBody(parsed, contentType));
          }
        }
      }
      break;
    }
    if (Array.isArray(value)) return { status: 401, message: 'Duplicate API key found', headers: wwwAuthenticate };
  }
  if (!key) return { status: 401, message: 'No API key found in request', headers: wwwAuthenticate };
  const credential = ctx.lookups.keyAuthCredential(key);
  const expired = credential?.ttl && credential.created_at && credential.created_at + credential.ttl <= now / 1000;
  if (!credential || expired) return { status: 401, message: 'Unauthorized', headers: wwwAuthenticate };
  const consumer = ctx.lookups.consumer(credential.consumer.id);
  if (!consumer) return { status: 500, message: 'An unexpected error occurred', headers: {} };
  setConsumerHeaders(ctx, consumer, credential);
  return undefined;
}

/**
 * Kong's key-auth plugin (kong/plugins/key-auth/handler.lua), priority 1250: the key from the
 * first of key_names found in the headers, then the query, then the body; 401 with Kong's messages
 * and WWW-Authenticate otherwise, unless an anonymous consumer is configured, which the request
 * then runs as.
 */
export const keyAuthPlugin: GatewayPlugin<KeyAuthConfig> = {
  name: 'key-auth',
  priority: 1250,
  schema: keyAuthSchema,
  entityChecks(config): Record<string, string> {
    const bad = config.key_names.find((name) => !/^[A-Za-z0-9_-]+$/.test(name));
    return bad === undefined ? {} : { 'config.key_names': `bad header name '${bad}', allowed characters are A-Z, a-z, 0-9, '_', and '-'` };
  },
  async access(config, ctx): Promise<KongExit | void> {
    if (!config.run_on_preflight && ctx.request.method === 'OPTIONS') return;
    const accept = getHeader(ctx.request.headers, 'accept');
    if (config.anonymous) {
      // Logical OR with other auth plugins: an earlier one already authenticated the request.
      if (ctx.credential) return;
      const failure = await authenticate(config, ctx, ctx.now());
      if (!failure) return;
      const anonymous = ctx.lookups.consumer(config.anonymous);
      if (!anonymous)
        return kongError(500, `anonymous consumer ${config.anonymous} is configured but doesn't exist`, ctx.requestId, accept);
      setConsumerHeaders(ctx, anonymous, undefined);
      return;
    }
    const failure = await authenticate(config, ctx, ctx.now());
    if (failure) return kongError(failure.status, failure.message, ctx.requestId, accept, failure.headers);
  },
};
