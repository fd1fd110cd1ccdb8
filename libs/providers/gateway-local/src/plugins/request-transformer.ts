import { type AccessContext, type GatewayPlugin, getHeader } from './plugin';
import { encodeArgs, parseArgs } from './request-transformer-args';
import {
  type HeaderMap,
  type TransformLists,
  type TransformOps,
  splitEntry,
  transformHeaders,
  transformQuery,
  transformsQuery,
} from './request-transformer-ops';
import { requestTransformerSchema } from './schemas/request-transformer.schema';

export interface RequestTransformerConfig extends TransformOps {
  http_method?: string;
  replace: TransformLists & { uri?: string };
}

const OPS = ['remove', 'rename', 'replace', 'add', 'append'] as const;
const LISTS = ['body', 'headers', 'querystring'] as const;

/** The methods kong.service.request.set_method accepts; any other fails every request in Kong. */
const METHODS = [
  'GET',
  'HEAD',
  'PUT',
  'POST',
  'DELETE',
  'OPTIONS',
  'MKCOL',
  'COPY',
  'MOVE',
  'PROPFIND',
  'PROPPATCH',
  'LOCK',
  'UNLOCK',
  'PATCH',
  'TRACE',
];

/** Methods Kong moves a url-encoded body's fields to the query string for. */
const BODILESS = new Set(['GET', 'HEAD', 'TRACE']);

const HEADER_NAME = /^[a-zA-Z0-9_-]+$/;
// What node:http can send in a header value (no control characters).
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]+$/;

/**
 * Kong fills every operation's record with its empty lists, so the config always has all five: the
 * shared schema gives the lists' defaults, and an empty record as each record's default lets them apply.
 */
function withRecordDefaults(schema: typeof requestTransformerSchema): object {
  const copy = structuredClone(schema) as unknown as { properties: { config: { properties: Record<string, Record<string, unknown>> } } };
  for (const op of OPS) copy.properties.config.properties[op]!['default'] = {};
  return copy;
}

function isTemplate(value: string): boolean {
  return value.includes('$(');
}

const templateRefused = (value: string) =>
  `value '${value}' is a template: gateway-local does not render request-transformer templates ($(...)); use a plain value`;

/** Kong's schema validators (kong/plugins/request-transformer/schema.lua) and what gateway-local leaves out. */
function entityChecks(config: RequestTransformerConfig): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const op of OPS) {
    const record = config[op] as unknown as Record<string, unknown>;
    for (const field of Object.keys(record))
      if (!(LISTS as readonly string[]).includes(field) && !(op === 'replace' && field === 'uri'))
        errors[`config.${op}.${field}`] = 'unknown field';
    if (config[op].body.length > 0)
      errors[`config.${op}.body`] =
        'gateway-local does not support body transformations: leave the body lists of request-transformer empty';
    config[op].headers.forEach((entry, i) => {
      const at = `config.${op}.headers.${i}`;
      const { name, value } = splitEntry(entry);
      if (!HEADER_NAME.test(name)) errors[at] = `'${name}' is not a valid header`;
      else if (op === 'rename' && !HEADER_NAME.test(value)) errors[at] = `'${value}' is not a valid header`;
      else if (op !== 'remove' && op !== 'rename' && isTemplate(value)) errors[at] = templateRefused(value);
      else if (op !== 'remove' && op !== 'rename' && !HEADER_VALUE.test(value)) errors[at] = `'${value}' is not a valid header`;
      else if (op === 'append' && name.toLowerCase() === 'host')
        errors[at] = 'a request has one Host header: replace it rather than append to it';
    });
    if (op !== 'remove')
      config[op].querystring.forEach((entry, i) => {
        const at = `config.${op}.querystring.${i}`;
        const { name, value } = splitEntry(entry);
        if (value === '') errors[at] = `key '${name}' has no value`;
        else if (isTemplate(value)) errors[at] = templateRefused(value);
      });
  }
  const { uri } = config.replace;
  if (uri !== undefined && uri !== '') {
    if (isTemplate(uri)) errors['config.replace.uri'] = templateRefused(uri);
    // Kong takes it, then fails every request with "path must start with /".
    else if (!uri.startsWith('/')) errors['config.replace.uri'] = `'${uri}' is not a path: it must start with /`;
  }
  if (config.http_method !== undefined && !METHODS.includes(config.http_method))
    errors['config.http_method'] = `'${config.http_method}' is not a method the gateway can send upstream (${METHODS.join(', ')})`;
  return errors;
}

/** Kong's transform_method: the upstream method, and a url-encoded body's fields into the query string for GET, HEAD and TRACE. */
async function transformMethod(method: string, ctx: AccessContext): Promise<void> {
  ctx.upstream.setMethod(method);
  if (!BODILESS.has(method)) return;
  if (!getHeader(ctx.request.headers, 'content-type')?.toLowerCase().includes('application/x-www-form-urlencoded')) return;
  const body = await ctx.request.readBody();
  if (body === 'too-large') return;
  const fields = parseArgs(body.toString('utf8'));
  if (fields.size === 0) return;
  const args = parseArgs(ctx.upstream.query());
  for (const [name, values] of fields) args.set(name, [...(args.get(name) ?? []), ...values]);
  ctx.upstream.setQuery(encodeArgs(args));
}

/** Sends the transformed headers: those gone are cleared, the changed or new ones set. */
function applyHeaders(config: RequestTransformerConfig, ctx: AccessContext): void {
  const current: HeaderMap = new Map(Object.entries(ctx.upstream.headers()));
  const next = transformHeaders(config, current);
  for (const name of current.keys()) if (name !== 'host' && !next.has(name)) ctx.upstream.clearHeader(name);
  for (const [name, value] of next) if (JSON.stringify(current.get(name)) !== JSON.stringify(value)) ctx.upstream.setHeader(name, value);
}

/**
 * Kong's request-transformer (kong/plugins/request-transformer), priority 801: changes the request
 * before it goes upstream, in Kong's order: path (replace.uri), method (http_method), headers, query
 * string; within each, remove, rename, replace, add (only when absent), append (always).
 */
export const requestTransformerPlugin: GatewayPlugin<RequestTransformerConfig> = {
  name: 'request-transformer',
  priority: 801,
  schema: withRecordDefaults(requestTransformerSchema),
  entityChecks,
  async access(config, ctx) {
    // Kong renders an empty uri to nothing and leaves the path alone.
    if (config.replace.uri) ctx.upstream.setPath(config.replace.uri);
    if (config.http_method) await transformMethod(config.http_method, ctx);
    applyHeaders(config, ctx);
    if (transformsQuery(config)) ctx.upstream.setQuery(encodeArgs(transformQuery(config, parseArgs(ctx.upstream.query()))));
  },
};
