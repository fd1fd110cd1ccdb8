import { badInputProbes, type JsonSchema, type OpenApiDocument, sampleOf, wrongMethodProbes } from './bad-input-probes';

const secretBody: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
    secrets: { type: 'object', additionalProperties: { type: 'string' } },
    tags: { type: 'array', items: { type: 'object', properties: { key: { type: 'string', minLength: 1 } } } },
    ttl: { anyOf: [{ type: 'integer', minimum: 5 }, { type: 'null' }] },
  },
};

const doc: OpenApiDocument = {
  paths: {
    '/v1/secret': { get: {}, post: { requestBody: { content: { 'application/json': { schema: secretBody } } } } },
    '/v1/secret/{name}': { get: { parameters: [{ name: 'name', in: 'path' }] }, delete: { parameters: [{ name: 'name', in: 'path' }] } },
  },
};

describe('bad-input probes', () => {
  it('samples a value the schema takes, as the baseline each probe breaks once', () => {
    expect(sampleOf(secretBody)).toEqual({ name: 'probe-name', secrets: { PROBE: 'probe-name' }, tags: [{ key: 'probe-name' }], ttl: 5 });
  });

  it('breaks path parameters, queries, pages and each part of a body', () => {
    const probes = badInputProbes(doc, { oversizeBytes: 2048 });
    const whats = (operation: string) => probes.filter((p) => p.operation === operation).map((p) => p.what);
    expect(whats('GET /v1/secret/{name}')).toEqual(
      expect.arrayContaining(['path parameter name: NUL', 'path parameter name: 10k characters', 'page query limit=10']),
    );
    expect(whats('POST /v1/secret')).toEqual(
      expect.arrayContaining([
        'NUL in the string at secrets.PROBE',
        'NUL in a key of secrets',
        '12345 at name',
        '200-deep nesting at tags.0',
        'not JSON: "{"',
        'content type text/plain',
        '2048 bytes',
      ]),
    );
    const nul = probes.find((p) => p.what === 'NUL in the string at tags.0.key');
    expect(JSON.parse(nul?.body ?? '')).toMatchObject({ tags: [{ key: 'a\u0000b' }], name: 'probe-name' });
  });

  it('asks each path with a method it does not serve', () => {
    expect(wrongMethodProbes(doc).map((p) => `${p.method} ${p.path} ${p.allowed.join(',')}`)).toEqual([
      'PATCH /v1/secret GET,POST',
      'PATCH /v1/secret/probe-name GET,DELETE',
    ]);
  });
});
