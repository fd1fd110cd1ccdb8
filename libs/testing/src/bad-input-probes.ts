/**
 * Bad-input probes generated from a served OpenAPI document: for every operation, path and query
 * parameters that are NUL, overlong, wrongly percent-encoded or of the wrong type, bad page
 * parameters, and bodies with a NUL in each string and key, a wrong type at each property (and
 * out-of-range numbers), deep nesting, broken JSON, other content types and an oversize payload.
 * Whatever the API adds is probed as soon as its document shows it.
 */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  minimum?: number;
  minItems?: number;
  default?: unknown;
}

interface OpenApiParameter {
  name: string;
  in: string;
}

interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

export interface BadInputProbe {
  /** The operation probed, e.g. `PUT /v1/secret/{name}`. */
  operation: string;
  /** What is wrong with the request, for the report. */
  what: string;
  method: string;
  /** Path and query, percent-encoded as sent. */
  path: string;
  contentType?: string;
  body?: string;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'];

/** Raw (already percent-encoded) path parameter values no route should take badly. */
const BAD_PATH_VALUES: [string, string][] = [
  ['NUL', '%00'],
  ['NUL inside', 'a%00b'],
  ['10k characters', 'a'.repeat(10_000)],
  ['cut-short UTF-8', '%E0%A4%A'],
  ['not hex', '%ZZ'],
  ['lone percent', '%'],
  ['invalid UTF-8', '%C3%28'],
  ['byte FF', '%FF'],
  ['a number', '12345'],
  ['negative', '-1'],
  ['a boolean', 'true'],
  ['upper case', 'ABC'],
  ['spaces', '%20a%20'],
  ['a UUID', '00000000-0000-0000-0000-000000000000'],
];

/** Raw query values: the same faults, plus empty. */
const BAD_QUERY_VALUES: [string, string][] = [
  ['NUL', '%00'],
  ['NUL inside', 'a%00b'],
  ['cut-short UTF-8', '%E0%A4%A'],
  ['not hex', '%ZZ'],
  ['5k characters', 'a'.repeat(5_000)],
  ['empty', ''],
  ['a number', '-1'],
];

const BAD_PAGE_QUERIES: string[] = [
  'pageSize=0',
  'pageSize=-1',
  'pageSize=abc',
  'pageSize=501',
  'pageSize=1.5',
  'pageSize=1e3',
  'pageSize=%00',
  'pageSize=1&pageSize=2',
  'pageToken=zz',
  'pageToken=%00',
  `pageToken=${Buffer.from('{"k":"\\u0000"}').toString('base64url')}`,
  `pageToken=${Buffer.from('{"k":1}').toString('base64url')}`,
  `pageToken=${Buffer.from('{"k":"2026-01-01T00:00:00.000Z|not-a-uuid"}').toString('base64url')}`,
  'limit=10',
  'cursor=abc',
  'x%00=1',
];

const NOT_JSON = ['{', '{"a":', 'nul', '\u0000', '{"a":1}garbage', '[1,]'];

const OTHER_CONTENT_TYPES: [string, string][] = [
  ['text/plain', '{"name":"probe"}'],
  ['application/xml', '<a/>'],
  ['application/x-www-form-urlencoded', 'name=probe'],
  ['multipart/form-data', 'no boundary'],
  ['multipart/form-data; boundary=x', '--x\r\nbroken'],
];

/** Every probe of every operation in `doc`. */
export function badInputProbes(doc: OpenApiDocument, options: { oversizeBytes: number }): BadInputProbe[] {
  const probes: BadInputProbe[] = [];
  for (const [template, operations] of Object.entries(doc.paths)) {
    for (const [verb, op] of Object.entries(operations)) {
      if (!HTTP_METHODS.includes(verb)) continue;
      probes.push(...operationProbes(template, verb.toUpperCase(), op, options.oversizeBytes));
    }
  }
  return probes;
}

/**
 * The creates to send before the probes: each collection's POST with its sampled body, so probes
 * of `.../{name}` find a resource named as they ask (`probe-name`) wherever the sample is accepted,
 * and reach the code behind the lookup. In document order, so roles come before the policies naming them.
 */
export function sampleCreates(doc: OpenApiDocument): BadInputProbe[] {
  return Object.entries(doc.paths).flatMap(([template, operations]) => {
    const schema = operations['post']?.requestBody?.content?.['application/json']?.schema;
    if (!schema || template.includes('{')) return [];
    return [
      {
        operation: `POST ${template}`,
        what: 'the sampled body',
        method: 'POST',
        path: template,
        contentType: 'application/json',
        body: JSON.stringify(sampleOf(schema)),
      },
    ];
  });
}

/** For each path, a method it is not served with (the methods it has should be in `Allow`). */
export function wrongMethodProbes(doc: OpenApiDocument): (BadInputProbe & { allowed: string[] })[] {
  return Object.entries(doc.paths).flatMap(([template, operations]) => {
    const allowed = Object.keys(operations).map((m) => m.toUpperCase());
    const method = ['PATCH', 'PUT', 'POST', 'DELETE'].find((m) => !allowed.includes(m));
    return method
      ? [{ operation: `${method} ${template}`, what: 'method not served on the path', method, path: fillPath(template, {}), allowed }]
      : [];
  });
}

function operationProbes(template: string, method: string, op: OpenApiOperation, oversizeBytes: number): BadInputProbe[] {
  const operation = `${method} ${template}`;
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path').map((p) => p.name);
  const queryParams = params.filter((p) => p.in === 'query').map((p) => p.name);
  const schema = op.requestBody?.content?.['application/json']?.schema;
  const sample = schema ? sampleOf(schema) : undefined;
  const json = sample === undefined ? undefined : { contentType: 'application/json', body: JSON.stringify(sample) };
  const probes: BadInputProbe[] = [];
  const add = (what: string, path: string, body?: { contentType: string; body: string }) =>
    probes.push({ operation, what, method, path, ...body });
  const path = fillPath(template, {});

  for (const name of pathParams) {
    for (const [what, value] of BAD_PATH_VALUES) add(`path parameter ${name}: ${what}`, fillPath(template, { [name]: value }), json);
  }
  for (const name of queryParams) {
    for (const [what, value] of BAD_QUERY_VALUES) add(`query parameter ${name}: ${what}`, `${path}?${name}=${value}`, json);
    add(`query parameter ${name}: repeated`, `${path}?${name}=a&${name}=b`, json);
  }
  if (method === 'GET') for (const query of BAD_PAGE_QUERIES) add(`page query ${query.slice(0, 40)}`, `${path}?${query}`);
  if (sample === undefined) return probes;

  const send = (what: string, value: unknown) => add(what, path, { contentType: 'application/json', body: JSON.stringify(value) });
  for (const [at, leaf] of nodesOf(sample)) {
    if (typeof leaf === 'string') send(`NUL in the string at ${at || '(root)'}`, replaceAt(sample, at, 'a\u0000b'));
    if (isObject(leaf)) send(`NUL in a key of ${at || '(root)'}`, replaceAt(sample, at, { ...leaf, 'k\u0000': 'v' }));
    for (const wrong of wrongTypesFor(leaf)) send(`${JSON.stringify(wrong)} at ${at || '(root)'}`, replaceAt(sample, at, wrong));
    if (at) send(`200-deep nesting at ${at}`, replaceAt(sample, at, nested(200)));
  }
  add('JSON nested 50k deep', path, { contentType: 'application/json', body: '['.repeat(50_000) + ']'.repeat(50_000) });
  for (const text of NOT_JSON) add(`not JSON: ${JSON.stringify(text)}`, path, { contentType: 'application/json', body: text });
  for (const [contentType, body] of OTHER_CONTENT_TYPES) add(`content type ${contentType}`, path, { contentType, body });
  add(`${oversizeBytes} bytes`, path, {
    contentType: 'application/json',
    body: JSON.stringify({ ...(isObject(sample) ? sample : {}), padding: 'x'.repeat(oversizeBytes) }),
  });
  return probes;
}

/** The path with each `{param}` replaced: by the raw value given, or by a name every route takes. */
function fillPath(template: string, raw: Record<string, string>): string {
  return template.replace(
    /\{([^}]+)\}/g,
    (_, name: string) => raw[name] ?? (name === 'id' ? '00000000-0000-4000-8000-000000000000' : 'probe-name'),
  );
}

/** A value the schema accepts, or close to it: the baseline each probe breaks in one place. */
export function sampleOf(schema: JsonSchema, depth = 0): unknown {
  if (depth > 8) return 'probe';
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const alternative = (schema.anyOf ?? schema.oneOf)?.find((s) => s.type !== 'null');
  if (alternative) return sampleOf(alternative, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
      return sampleString(schema);
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return [sampleOf(schema.items ?? {}, depth + 1)];
    case 'object':
    case undefined: {
      if (type === undefined && !schema.properties) return schema.default ?? 'probe';
      const value: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) value[key] = sampleOf(property, depth + 1);
      if (!schema.properties && typeof schema.additionalProperties === 'object')
        value['PROBE'] = sampleOf(schema.additionalProperties, depth + 1);
      return value;
    }
    default:
      return null;
  }
}

function sampleString(schema: JsonSchema): string {
  if (schema.format === 'date-time') return '2026-01-01T00:00:00Z';
  if (schema.format === 'date') return '2026-01-01';
  if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  if (schema.format === 'uri') return 'https://probe.invalid/probe';
  const candidates = ['probe-name', 'PROBE_NAME', 'probe', 'a'];
  const pattern = schema.pattern ? new RegExp(schema.pattern) : undefined;
  const fit = candidates.find((c) => !pattern || pattern.test(c)) ?? 'probe';
  return fit.padEnd(schema.minLength ?? 0, 'a');
}

type Path = (string | number)[];

/** Every node of a JSON value with its path (`a.b.0`); the root's is ''. */
function nodesOf(value: unknown, path: Path = []): [string, unknown][] {
  const here: [string, unknown] = [path.join('.'), value];
  if (Array.isArray(value)) return [here, ...value.flatMap((v, i) => nodesOf(v, [...path, i]))];
  if (isObject(value)) return [here, ...Object.entries(value).flatMap(([k, v]) => nodesOf(v, [...path, k]))];
  return [here];
}

function replaceAt(root: unknown, at: string, replacement: unknown): unknown {
  if (at === '') return replacement;
  const copy = structuredClone(root) as Record<string, unknown>;
  const keys = at.split('.');
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]] = replacement;
  return copy;
}

const WRONG_TYPES: unknown[] = [12345, true, null, 'text', [], {}];

/** Numbers no count, size or duration takes: PostgreSQL's integer columns overflow past 2^31 - 1. */
const OUT_OF_RANGE: number[] = [-1, 0.5, 2_147_483_648, 1e308];

function wrongTypesFor(value: unknown): unknown[] {
  const kind = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  const wrong = WRONG_TYPES.filter((w) => kind(w) !== kind(value));
  return typeof value === 'number' ? [...wrong, ...OUT_OF_RANGE] : wrong;
}

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
