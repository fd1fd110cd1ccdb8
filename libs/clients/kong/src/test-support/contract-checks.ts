import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { sharedSpecPath } from '@dispatch/testing';

/**
 * The Kong Admin API contract, for any server that claims to speak it (the spec-checked fake
 * here, gateway-local's Admin API later) and for any client of it: every request and response is
 * held to ../shared/specs/kong/admin-oss-3.9.openapi.yaml (ajv), plugin configs to
 * ../shared/specs/kong/plugins/*.json, and consumer credentials (whose endpoints come with their
 * plugins and are not in the OSS document) to decK's kong_json_schema.json.
 *
 * Where the document is silent or says other than Kong, the checks say so here and nowhere else:
 * - the path `/services/{service_id_or_name}plugins` lacks its `/` (a typo): matched with it;
 * - list answers document the entity as the whole body (GET /services → Service): a list is
 *   checked as Kong's page `{data: [entity], next: string|null, offset?}`, each item against the
 *   collection's entity schema;
 * - error bodies are documented for 400 as any object and not at all for 404/409: an error
 *   status is checked against Kong's error body (kong/db/errors.lua), `{message}` at least;
 * - a plugin's `config` is closed (an unknown field is an error, as Kong's schema makes it),
 *   its shorthand fields allowed: the plugin schemas leave it open.
 * Statuses of success that the document does not list are problems: that is how a server that
 * answers 201 where Kong answers 200 is caught.
 */

export interface KongRequest {
  method: string;
  /** The path without query, e.g. `/services/hello/routes`. */
  path: string;
  query: Record<string, string>;
  /** The parsed JSON body, or undefined without one. */
  body?: unknown;
}

/** One problem: where (a JSON pointer into the body, or `query.size`, `path`, `status`) and what. */
export interface KongProblem {
  at: string;
  message: string;
}

const DOCUMENT_ID = 'kong-admin.json';
const DECLARATIVE_ID = 'kong-declarative.json';

/** Kong's error body (kong/db/errors.lua and the endpoints' `{message}`). */
const ERROR_BODY = {
  type: 'object',
  required: ['message'],
  properties: {
    message: { type: 'string' },
    name: { type: 'string' },
    code: { type: 'integer' },
    fields: { type: 'object' },
  },
};

/** The plugins whose config the checks know, and their schema file. */
export const KONG_PLUGIN_SCHEMAS: Record<string, string> = {
  cors: 'Cors.json',
  'rate-limiting': 'RateLimiting.json',
  'request-size-limiting': 'RequestSizeLimiting.json',
  'key-auth': 'KeyAuth.json',
  jwt: 'Jwt.json',
  acl: 'Acl.json',
  'request-transformer': 'RequestTransformer.json',
};

/** The entity schema of each collection that the document lists (see the note on list answers). */
const ITEM_SCHEMA: Record<string, string> = { services: 'Service', routes: 'Route', plugins: 'Plugin', consumers: 'Consumer' };

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  literals: number;
  parameters: { name: string; in: string; schema?: Record<string, unknown> }[];
  requestSchema?: unknown;
  responses: Record<string, unknown>;
}

/** Credential endpoints (not in the OSS document): checked against decK's definitions. */
interface CredentialEndpoint {
  pattern: RegExp;
  definition: 'KeyAuth' | 'JWTAuth' | 'ACLGroup';
  /** The field the last path segment stands for on a write (Kong's endpoint key). */
  endpointKey: string;
}

const CREDENTIAL_ENDPOINTS: CredentialEndpoint[] = [
  { pattern: /^\/consumers\/[^/]+\/key-auth(\/[^/]+)?$|^\/key-auths(\/[^/]+)?$/, definition: 'KeyAuth', endpointKey: 'key' },
  { pattern: /^\/consumers\/[^/]+\/jwt(\/[^/]+)?$|^\/jwts(\/[^/]+)?$/, definition: 'JWTAuth', endpointKey: 'key' },
  { pattern: /^\/consumers\/[^/]+\/acls(\/[^/]+)?$|^\/acls(\/[^/]+)?$/, definition: 'ACLGroup', endpointKey: 'group' },
];

interface Contract {
  ajv: Ajv;
  /** decK's file schema: the whole of a declarative config (kong.yml). */
  declarative: unknown;
  document: { components: Record<string, Record<string, unknown>> };
  operations: Operation[];
  plugins: Map<string, ValidateFunction>;
  compiled: Map<unknown, ValidateFunction>;
}

let loaded: Contract | undefined;

/** Every `$ref: '#/…'` made absolute to the schema it belongs to, so any piece compiles alone. */
function absoluteRefs(value: unknown, base: string): unknown {
  if (Array.isArray(value)) return value.map((v) => absoluteRefs(v, base));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '$schema') continue; // decK's subschemas name draft-04; ajv reads them as draft-07
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${base}${v}` : absoluteRefs(v, base);
  }
  return out;
}

/** A plugin schema whose config (and every record in it) refuses unknown fields, shorthands allowed. */
function closedConfig(schema: Record<string, unknown>): Record<string, unknown> {
  const close = (node: Record<string, unknown>): Record<string, unknown> => {
    if (node['type'] !== 'object' || !node['properties']) return node;
    const properties: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node['properties'] as Record<string, Record<string, unknown>>)) properties[k] = close(v);
    Object.assign(properties, node['shorthand_fields'] ?? {});
    return { ...node, properties, additionalProperties: false };
  };
  const props = schema['properties'] as Record<string, Record<string, unknown>>;
  return { ...schema, type: 'object', properties: { ...props, config: close(props['config']) } };
}

function contract(): Contract {
  if (loaded) return loaded;
  const raw = parse(readFileSync(sharedSpecPath('kong', 'admin-oss-3.9.openapi.yaml'), 'utf8')) as {
    paths: Record<string, Record<string, unknown>>;
    components: Record<string, Record<string, unknown>>;
  };
  const document = absoluteRefs({ components: raw.components }, DOCUMENT_ID) as Contract['document'];
  const declarative = JSON.parse(readFileSync(sharedSpecPath('kong', 'kong_json_schema.json'), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema({ $id: DOCUMENT_ID, ...document });
  ajv.addSchema({ $id: DECLARATIVE_ID, definitions: absoluteRefs(declarative['definitions'], DECLARATIVE_ID) });
  const { definitions: _, $schema: __, ...file } = declarative;

  const operations: Operation[] = [];
  for (const [documented, item] of Object.entries(raw.paths)) {
    const template = documented.replace('/services/{service_id_or_name}plugins', '/services/{service_id_or_name}/plugins');
    const shared = (item['parameters'] as Operation['parameters'] | undefined) ?? [];
    for (const [method, value] of Object.entries(item)) {
      if (method === 'parameters') continue;
      const op = absoluteRefs(value, DOCUMENT_ID) as {
        parameters?: Operation['parameters'];
        requestBody?: unknown;
        responses?: Record<string, unknown>;
      };
      const body = resolve(document, op.requestBody) as { content?: Record<string, { schema?: unknown }> } | undefined;
      operations.push({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        literals: template.split('/').filter((s) => s && !s.startsWith('{')).length,
        parameters: [...(absoluteRefs(shared, DOCUMENT_ID) as Operation['parameters']), ...(op.parameters ?? [])].map(
          (p) => resolve(document, p) as Operation['parameters'][number],
        ),
        requestSchema: body?.content?.['application/json']?.schema,
        responses: op.responses ?? {},
      });
    }
  }
  // The most specific template wins: `/services/{s}/routes` before `/{endpoint}`.
  operations.sort((a, b) => b.literals - a.literals);

  const plugins = new Map<string, ValidateFunction>();
  for (const [name, file] of Object.entries(KONG_PLUGIN_SCHEMAS)) {
    const schema = JSON.parse(readFileSync(sharedSpecPath('kong', 'plugins', file), 'utf8')) as Record<string, unknown>;
    plugins.set(name, ajv.compile(closedConfig(schema)));
  }
  loaded = { ajv, declarative: absoluteRefs(file, DECLARATIVE_ID), document, operations, plugins, compiled: new Map() };
  return loaded;
}

/** A `$ref` into the document, followed (one level is all the document uses for bodies and parameters). */
function resolve(document: Contract['document'], value: unknown): unknown {
  const ref = (value as { $ref?: unknown } | undefined)?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith(`${DOCUMENT_ID}#/components/`)) return value;
  const [, kind, name] = ref.slice(`${DOCUMENT_ID}#/`.length).split('/');
  return document.components[kind]?.[name];
}

function validate(schema: unknown, value: unknown, at: string): KongProblem[] {
  const c = contract();
  let fn = c.compiled.get(schema);
  if (!fn) {
    fn = c.ajv.compile(schema as object);
    c.compiled.set(schema, fn);
  }
  if (fn(value)) return [];
  return (fn.errors ?? []).map((e) => problem(at, e));
}

function problem(at: string, e: ErrorObject): KongProblem {
  const missing = (e.params as { missingProperty?: string }).missingProperty;
  const extra = (e.params as { additionalProperty?: string }).additionalProperty;
  const pointer = e.instancePath + (missing ? `/${missing}` : extra ? `/${extra}` : '');
  return { at: `${at}${pointer}`, message: extra ? 'unknown field' : (e.message ?? 'is invalid') };
}

/** The documented operation serving `method path`, or undefined when the document has none. */
export function kongOperation(method: string, path: string): { template: string } | undefined {
  return contract().operations.find((o) => o.method === method.toUpperCase() && o.pattern.test(path));
}

/** The problems of a request as the Admin API document (and the plugin and credential schemas) define it. */
export function kongRequestProblems(req: KongRequest): KongProblem[] {
  const credential = CREDENTIAL_ENDPOINTS.find((c) => c.pattern.test(req.path));
  if (credential) return credentialRequestProblems(credential, req);
  const op = contract().operations.find((o) => o.method === req.method && o.pattern.test(req.path));
  if (!op) return [{ at: 'path', message: `${req.method} ${req.path} is not an operation of the Kong Admin API document` }];
  const problems: KongProblem[] = [];
  for (const [name, value] of Object.entries(req.query)) {
    const param = op.parameters.find((p) => p.in === 'query' && p.name === name);
    if (!param) {
      problems.push({ at: `query.${name}`, message: `is not a parameter of ${req.method} ${op.template}` });
      continue;
    }
    const type = param.schema?.['type'];
    const typed = type === 'integer' && /^-?\d+$/.test(value) ? Number(value) : value;
    problems.push(...validate(param.schema ?? {}, typed, `query.${name}`));
  }
  const writes = ['PUT', 'POST', 'PATCH'].includes(req.method);
  if (writes && op.requestSchema) {
    if (req.body === undefined) problems.push({ at: 'body', message: 'is required' });
    else problems.push(...validate(op.requestSchema, req.body, 'body'));
  }
  if (writes && /\/plugins(\/[^/]+)?$/.test(req.path) && req.body !== undefined) problems.push(...kongPluginProblems(req.body));
  return problems;
}

/**
 * The problems of a plugin body against its plugin's schema. A plugin without a schema in
 * ../shared/specs/kong/plugins is a problem: add its schema before the platform manages it.
 */
export function kongPluginProblems(plugin: unknown): KongProblem[] {
  const name = (plugin as { name?: unknown } | null)?.name;
  if (typeof name !== 'string') return [{ at: 'body/name', message: 'a plugin needs its name' }];
  const check = contract().plugins.get(name);
  if (!check) return [{ at: 'body/name', message: `no schema for plugin ${name} in ../shared/specs/kong/plugins` }];
  const { config, protocols } = plugin as { config?: unknown; protocols?: unknown };
  if (check({ ...(config === undefined ? {} : { config }), ...(protocols === undefined ? {} : { protocols }) })) return [];
  return (check.errors ?? []).map((e) => problem('body', e));
}

/** The problems of a response to `req`: its status documented, its body the documented one. */
export function kongResponseProblems(req: KongRequest, status: number, body: unknown): KongProblem[] {
  const credential = CREDENTIAL_ENDPOINTS.find((c) => c.pattern.test(req.path));
  if (status >= 400) return validate(ERROR_BODY, body, 'body');
  if (credential) return credentialResponseProblems(credential, req, status, body);
  const c = contract();
  const op = c.operations.find((o) => o.method === req.method && o.pattern.test(req.path));
  if (!op) return [{ at: 'path', message: `${req.method} ${req.path} is not an operation of the Kong Admin API document` }];
  const documented = resolve(c.document, op.responses[String(status)]) as
    { content?: Record<string, { schema?: Record<string, unknown> }> } | undefined;
  if (!documented) return [{ at: 'status', message: `${status} is not a documented answer of ${req.method} ${op.template}` }];
  const schema = documented.content?.['application/json']?.schema;
  if (!schema) return body === undefined ? [] : [{ at: 'body', message: `${req.method} ${op.template} answers ${status} without a body` }];
  const isList = req.method === 'GET' && op.parameters.some((p) => p.name === 'offset');
  if (!isList) return validate(schema, body, 'body');
  const collection = op.template.split('/').pop() ?? '';
  const item = ITEM_SCHEMA[collection]
    ? { $ref: `${DOCUMENT_ID}#/components/schemas/${ITEM_SCHEMA[collection]}` }
    : ((schema['properties'] as { data?: { items?: unknown } } | undefined)?.data?.items ?? schema);
  return validate(page(item), body, 'body');
}

function page(item: unknown): unknown {
  return {
    type: 'object',
    required: ['data', 'next'],
    properties: { data: { type: 'array', items: item }, next: { type: 'string', nullable: true }, offset: { type: 'string' } },
    additionalProperties: false,
  };
}

function definition(name: string): unknown {
  return { $ref: `${DECLARATIVE_ID}#/definitions/${name}` };
}

function credentialRequestProblems(endpoint: CredentialEndpoint, req: KongRequest): KongProblem[] {
  const problems: KongProblem[] = [];
  for (const name of Object.keys(req.query)) {
    if (req.method !== 'GET' || !['size', 'offset', 'tags'].includes(name))
      problems.push({ at: `query.${name}`, message: 'is not a parameter' });
  }
  if (!['PUT', 'POST', 'PATCH'].includes(req.method)) return problems;
  // On PUT the endpoint key comes from the path, as Kong reads it.
  const last = decodeURIComponent(req.path.split('/').pop() ?? '');
  const body = req.method === 'PUT' ? { ...(req.body as object), [endpoint.endpointKey]: last } : req.body;
  return [...problems, ...validate(definition(endpoint.definition), body, 'body')];
}

function credentialResponseProblems(endpoint: CredentialEndpoint, req: KongRequest, status: number, body: unknown): KongProblem[] {
  const isList = req.method === 'GET' && /\/(key-auth|jwt|acls|key-auths|jwts)$/.test(req.path);
  const expected = req.method === 'DELETE' ? [204] : req.method === 'POST' ? [201] : [200];
  if (!expected.includes(status)) return [{ at: 'status', message: `${status} is not what Kong answers to ${req.method} there` }];
  if (status === 204) return body === undefined ? [] : [{ at: 'body', message: '204 answers no body' }];
  return validate(isList ? page(definition(endpoint.definition)) : definition(endpoint.definition), body, 'body');
}

/**
 * The problems of a declarative config (kong.yml, as decK reads and DB-less Kong loads it) against
 * decK's file schema, and of each plugin in it (top level, or nested in a service or route) against
 * its plugin's schema, as kongPluginProblems checks one.
 */
export function kongDeclarativeProblems(config: unknown): KongProblem[] {
  const problems = validate(contract().declarative, config, 'file');
  const plugins: [string, unknown][] = [];
  const file = config as { plugins?: unknown[]; services?: { plugins?: unknown[]; routes?: { plugins?: unknown[] }[] }[] } | null;
  (file?.plugins ?? []).forEach((p, i) => plugins.push([`file/plugins/${i}`, p]));
  (file?.services ?? []).forEach((s, i) => {
    (s.plugins ?? []).forEach((p, j) => plugins.push([`file/services/${i}/plugins/${j}`, p]));
    (s.routes ?? []).forEach((r, j) =>
      (r.plugins ?? []).forEach((p, k) => plugins.push([`file/services/${i}/routes/${j}/plugins/${k}`, p])),
    );
  });
  for (const [at, plugin] of plugins)
    problems.push(...kongPluginProblems(plugin).map((p) => ({ at: p.at.replace(/^body/, at), message: p.message })));
  return problems;
}

/** Problems as one line each: `body/host must have required property 'host'`. */
export function describeProblems(problems: readonly KongProblem[]): string[] {
  return problems.map((p) => `${p.at} ${p.message}`);
}
