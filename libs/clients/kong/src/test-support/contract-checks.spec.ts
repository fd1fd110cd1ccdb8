import {
  describeProblems,
  kongOperation,
  kongPluginProblems,
  kongRequestProblems,
  kongResponseProblems,
  type KongRequest,
} from './contract-checks';

const put = (path: string, body: unknown): KongRequest => ({ method: 'PUT', path, query: {}, body });
const get = (path: string, query: Record<string, string> = {}): KongRequest => ({ method: 'GET', path, query });
const problems = (list: ReturnType<typeof kongRequestProblems>) => describeProblems(list);

describe('the Kong Admin API contract checks', () => {
  it('finds the documented operation, the most specific template first, the typo of the nested plugins path mended', () => {
    expect(kongOperation('GET', '/services/hello/routes')).toMatchObject({ template: '/services/{service_id_or_name}/routes' });
    expect(kongOperation('GET', '/services/hello/plugins')).toMatchObject({ template: '/services/{service_id_or_name}/plugins' });
    expect(kongOperation('PUT', '/consumers/alice')).toMatchObject({ template: '/consumers/{consumer_username_or_id}' });
    expect(kongOperation('PUT', '/nothing/here')).toBeUndefined();
    expect(problems(kongRequestProblems(put('/nothing/here', {})))).toEqual([
      'path PUT /nothing/here is not an operation of the Kong Admin API document',
    ]);
  });

  it('holds request bodies to the document', () => {
    expect(
      kongRequestProblems(put('/services/hello', { protocol: 'http', host: 'h', port: 80, enabled: true, tags: ['dispatch'] })),
    ).toEqual([]);
    expect(problems(kongRequestProblems(put('/services/hello', { protocol: 'gopher', host: 'h', port: '80', enabled: true })))).toEqual([
      'body/protocol must be equal to one of the allowed values',
      'body/port must be integer',
    ]);
    expect(problems(kongRequestProblems(put('/consumers/alice', { username: 'alice' })))).toEqual([
      "body/custom_id must have required property 'custom_id'",
    ]);
    expect(problems(kongRequestProblems(put('/routes/r', { paths: ['/x'] })))).toHaveLength(5);
    expect(problems(kongRequestProblems(put('/services/hello', undefined)))).toEqual(['body is required']);
  });

  it('holds query parameters to the document: size within 1–1000, nothing undeclared', () => {
    expect(kongRequestProblems(get('/services', { size: '1000', offset: 'abc', tags: 'a,b' }))).toEqual([]);
    expect(problems(kongRequestProblems(get('/services', { size: '0' })))).toEqual(['query.size must be >= 1']);
    expect(problems(kongRequestProblems(get('/services', { size: 'ten' })))).toEqual(['query.size must be integer']);
    expect(problems(kongRequestProblems(get('/routes', { page: '2' })))).toEqual(['query.page is not a parameter of GET /routes']);
  });

  it.each([
    [
      'cors',
      { origins: ['https://acme.example'], methods: ['GET', 'POST'], credentials: true, max_age: 3600 },
      { methods: ['FETCH'] },
      'body/config/methods/0 must be equal to one of the allowed values',
    ],
    [
      'rate-limiting',
      { minute: 60, hour: 1000, policy: 'local', limit_by: 'consumer', redis_host: 'r' },
      { minute: -1 },
      'body/config/minute must be >= 0',
    ],
    [
      'request-size-limiting',
      { allowed_payload_size: 8, size_unit: 'megabytes' },
      { size_unit: 'gigabytes' },
      'body/config/size_unit must be equal to one of the allowed values',
    ],
    ['key-auth', { key_names: ['apikey'], hide_credentials: true }, { key_names: 'apikey' }, 'body/config/key_names must be array'],
    [
      'jwt',
      { claims_to_verify: ['exp'], key_claim_name: 'iss' },
      { maximum_expiration: 31536001 },
      'body/config/maximum_expiration must be <= 31536000',
    ],
    ['acl', { allow: ['acme-hello'], hide_groups_header: true }, { allowed: ['x'] }, 'body/config/allowed unknown field'],
  ])('checks a %s config against its plugin schema, unknown fields included', (name, good, bad, problem) => {
    expect(kongPluginProblems({ name, config: good })).toEqual([]);
    expect(describeProblems(kongPluginProblems({ name, config: bad }))).toEqual([problem]);
    expect(problems(kongRequestProblems(put(`/routes/r/plugins/${name}-1`, { name, config: bad })))).toContain(problem);
  });

  it('refuses a plugin without a schema, and protocols a plugin does not serve', () => {
    expect(describeProblems(kongPluginProblems({ name: 'bot-detection' }))).toEqual([
      'body/name no schema for plugin bot-detection in ../shared/specs/kong/plugins',
    ]);
    expect(describeProblems(kongPluginProblems({ name: 'cors', protocols: ['tcp'] }))).toEqual([
      'body/protocols/0 must be equal to one of the allowed values',
    ]);
  });

  it('checks credential bodies (not in the OSS document) against decK’s definitions, the key taken from the path on PUT', () => {
    expect(kongRequestProblems(put('/consumers/alice/key-auth/k-1', { tags: ['dispatch'] }))).toEqual([]);
    expect(problems(kongRequestProblems(put('/consumers/alice/key-auth/k-1', { ttl: 'soon' })))).toEqual(['body/ttl must be integer']);
    expect(problems(kongRequestProblems(put('/consumers/alice/acls/g', { groups: ['g'] })))).toEqual(['body/groups unknown field']);
    expect(kongRequestProblems(put('/consumers/alice/jwt/iss-1', { algorithm: 'HS256', secret: 's' }))).toEqual([]);
    expect(problems(kongRequestProblems(put('/consumers/alice/jwt/iss-1', { algorithm: 'HS256' })))).toEqual([
      "body/secret must have required property 'secret'",
    ]);
  });

  it('holds answers to the document: documented statuses, Kong’s page shape for lists, Kong’s error body', () => {
    const service = { id: 'a1', name: 'hello', host: 'h', port: 80, protocol: 'http', tags: ['dispatch'] };
    expect(kongResponseProblems(put('/services/hello', {}), 200, service)).toEqual([]);
    expect(describeProblems(kongResponseProblems(put('/services/hello', {}), 201, service))).toEqual([
      'status 201 is not a documented answer of PUT /services/{service_id_or_name}',
    ]);
    expect(describeProblems(kongResponseProblems(put('/services/hello', {}), 200, { ...service, port: '80' }))).toEqual([
      'body/port must be integer',
    ]);
    expect(kongResponseProblems(get('/services'), 200, { data: [service], next: null })).toEqual([]);
    expect(kongResponseProblems(get('/services'), 200, { data: [service], next: '/services?offset=x', offset: 'x' })).toEqual([]);
    expect(describeProblems(kongResponseProblems(get('/services'), 200, { data: [{ ...service, port: 'x' }] }))).toEqual([
      "body/next must have required property 'next'",
      'body/data/0/port must be integer',
    ]);
    expect(describeProblems(kongResponseProblems(get('/services'), 200, [service]))).toEqual(['body must be object']);
    expect(kongResponseProblems(get('/services/x'), 404, { message: 'Not found' })).toEqual([]);
    expect(describeProblems(kongResponseProblems(get('/services/x'), 404, { error: 'Not found' }))).toEqual([
      "body/message must have required property 'message'",
    ]);
    expect(kongResponseProblems({ method: 'DELETE', path: '/services/x', query: {} }, 204, undefined)).toEqual([]);
    expect(
      describeProblems(
        kongResponseProblems(get('/consumers/a/key-auth'), 200, {
          data: [{ id: 'k', key: 'x', consumer: { id: 'a' }, created_at: 1, secret: 's' }],
          next: null,
        }),
      ),
    ).toEqual(['body/data/0/secret unknown field']);
  });
});
