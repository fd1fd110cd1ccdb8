import { rm } from 'node:fs/promises';
import { parse } from 'yaml';
import { startSpecKong, type SpecKong } from '@dispatch/kong-client/spec-kong';
import { createNodeFunction, startSoloServer, type SoloServer, waitFor } from '@dispatch/testing';

const SUITE_SECRET = 'secret-of-the-apis-suite-0123';

interface ApiAnswer {
  name: string;
  status: string;
  reason: string[];
  paths: string[];
  servedPaths: string[];
  code?: string;
  details?: { problems?: { field: string }[]; paths?: string[] };
}

/**
 * APIs on a real solo server (PostgreSQL, bus, function-manager answering whether a function
 * exists) reconciled into the spec-checked fake Kong Admin API: every request the loop sends is
 * held to Kong's documented contract.
 */
describe('/v1/api reconciled into Kong', () => {
  let kong: SpecKong;
  let solo: SoloServer;

  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: ApiAnswer }> => {
    const res = await fetch(`${solo.api}${path}`, {
      method,
      headers: { ...solo.admin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as ApiAnswer };
  };
  const entities = (table: string, api: string) =>
    [...kong.store.get(table)!.values()].filter((e) => (e.tags as string[] | undefined)?.includes(`api:${api}`));
  const untilStatus = (name: string, status: string, timeoutMs = 15_000) =>
    waitFor(
      async () => {
        const { body } = await call('GET', `/v1/api/${name}`);
        return body.status === status && body;
      },
      { timeoutMs, what: `API ${name} to be ${status}` },
    );

  beforeAll(async () => {
    kong = await startSpecKong();
    solo = await startSoloServer({
      env: {
        KONG_ADMIN_URL: kong.url,
        API_RESYNC_MS: '500',
        FUNCTION_MANAGER_URL: 'http://fm.local:8080',
        GATEWAY_SHARED_SECRET: SUITE_SECRET,
      },
    });
    await createNodeFunction(solo, 'hello', 'module.exports = () => "hi";');
  }, 180_000);

  afterAll(async () => {
    await solo?.process.stop();
    if (solo) await rm(solo.home, { recursive: true, force: true });
    await kong?.stop();
  });

  afterEach(() => {
    // Every request the loop sent was one Kong takes, and the fake answered as Kong documents.
    expect(kong.rejected).toEqual([]);
    expect(kong.ownProblems).toEqual([]);
  });

  it('creates the Kong service, route and plugins of an API, tagged, and answers READY once they are in place', async () => {
    const created = await call('POST', '/v1/api', {
      name: 'greet',
      function: 'hello',
      uris: ['/greet'],
      methods: ['GET'],
      authentication: 'api-key',
      cors: { origins: ['https://app.example.com'] },
      rateLimit: { minute: 100 },
      requestSizeLimit: 1024,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'CREATING', paths: ['/greet'], servedPaths: ['/default/greet'] });
    expect((await untilStatus('greet', 'READY')).reason).toEqual([]);

    const [service] = entities('services', 'greet');
    expect(service).toMatchObject({ name: 'default.greet', host: 'fm.local', port: 8080, path: '/v1/invoke/default/hello' });
    expect(service.tags).toEqual(['dispatch', 'org:default', 'api:greet']);
    const routes = entities('routes', 'greet');
    expect(routes).toHaveLength(1);
    expect(routes[0]).toMatchObject({ name: 'default.greet', paths: ['/default/greet'], methods: ['GET', 'OPTIONS'], strip_path: true });
    expect((routes[0].service as { id: string }).id).toBe(service.id);
    expect(entities('plugins', 'greet').map((p) => p.name)).toEqual(
      expect.arrayContaining(['cors', 'rate-limiting', 'request-size-limiting', 'request-transformer']),
    );
    expect(entities('plugins', 'greet')).toHaveLength(4);
  });

  it('moves the route on update and drops the plugins no longer asked for', async () => {
    const updated = await call('PUT', '/v1/api/greet', { function: 'hello', paths: ['/welcome'], methods: ['GET', 'POST'] });
    expect(updated.status).toBe(200);
    expect(updated.body.status).toBe('UPDATING');
    await untilStatus('greet', 'READY');
    // Only the request-transformer every API has (the gateway's headers to the invoke route) stays.
    await waitFor(() => entities('plugins', 'greet').length === 1, { what: 'the plugins to go' });
    expect(entities('plugins', 'greet')[0].name).toBe('request-transformer');
    const routes = entities('routes', 'greet');
    expect(routes).toHaveLength(1);
    expect(routes[0]).toMatchObject({ paths: ['/default/welcome'], methods: ['GET', 'POST'] });
  });

  it('puts back within one resync a route deleted in Kong behind the platform', async () => {
    const gone = await fetch(`${kong.url}/routes/default.greet`, { method: 'DELETE' });
    expect(gone.status).toBe(204);
    expect(entities('routes', 'greet')).toHaveLength(0);
    // API_RESYNC_MS is 500: one period and the pass itself.
    await waitFor(() => entities('routes', 'greet').length === 1, { timeoutMs: 2000, what: 'the route to come back' });
    expect(entities('routes', 'greet')[0]).toMatchObject({ paths: ['/default/welcome'] });
  });

  it('refuses a path another API serves on the same host, an unknown function, and bad CORS or rate limits, storing nothing', async () => {
    const conflict = await call('POST', '/v1/api', { name: 'other', function: 'hello', paths: ['/welcome/'] });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ code: 'ROUTE_CONFLICT', details: { paths: ['/default/welcome'] } });

    const hosted = await call('POST', '/v1/api', { name: 'h1', function: 'hello', paths: ['/x'], hosts: ['api.example.com'] });
    expect(hosted.status).toBe(201);
    expect(hosted.body.servedPaths).toEqual(['/x']);
    const sameHost = await call('POST', '/v1/api', { name: 'h2', function: 'hello', paths: ['/x'], hosts: ['API.example.com'] });
    expect(sameHost.body.code).toBe('ROUTE_CONFLICT');
    const otherHost = await call('POST', '/v1/api', { name: 'h3', function: 'hello', paths: ['/x'], hosts: ['b.example.com'] });
    expect(otherHost.status).toBe(201);

    const unknown = await call('POST', '/v1/api', { name: 'ghost', function: 'nope', paths: ['/ghost'] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('NOT_FOUND');
    expect(unknown.body.details).toMatchObject({ function: 'nope' });

    const badCors = await call('POST', '/v1/api', { name: 'c', function: 'hello', paths: ['/c'], cors: { origins: ['ftp://x'] } });
    expect(badCors.status).toBe(400);
    expect(badCors.body.details?.problems?.map((p) => p.field)).toEqual(['cors.origins.0']);
    const badLimit = await call('POST', '/v1/api', { name: 'r', function: 'hello', paths: ['/r'], rateLimit: { second: 10, minute: 5 } });
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.details?.problems?.map((p) => p.field)).toEqual(['rateLimit.minute']);

    const dup = await call('POST', '/v1/api', { name: 'h1', function: 'hello', paths: ['/y'] });
    expect(dup.body.code).toBe('NAME_CONFLICT');
    for (const name of ['other', 'h2', 'ghost', 'c', 'r']) expect((await call('GET', `/v1/api/${name}`)).status).toBe(404);
    const list = await call('GET', '/v1/api?pageSize=2');
    expect((list.body as unknown as { items: { name: string }[]; nextPageToken?: string }).items.map((a) => a.name)).toEqual([
      'greet',
      'h1',
    ]);
  });

  it('keeps statuses while Kong is down, and serves the API once it answers again', async () => {
    for (let i = 0; i < 6; i++) kong.failNext({ status: 503, body: '{"message":"down"}' });
    const created = await call('POST', '/v1/api', { name: 'later', function: 'hello', paths: ['/later'] });
    expect(created.status).toBe(201);
    expect((await call('GET', '/v1/api/later')).body.status).toBe('CREATING');
    await untilStatus('later', 'READY');
    expect(entities('routes', 'later')).toHaveLength(1);
    expect((await fetch(`${solo.api}/readyz`)).status).toBe(200);
  });

  it('exports the APIs as a Kong declarative config, in JSON or YAML, with a placeholder for the secret', async () => {
    const exported = async (query: string, accept?: string) => {
      const res = await fetch(`${solo.api}/v1/api/export${query}`, { headers: { ...solo.admin, ...(accept ? { accept } : {}) } });
      return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
    };
    const json = await exported('');
    expect(json).toMatchObject({ status: 200, type: 'application/json; charset=utf-8' });
    const config = JSON.parse(json.text) as { _format_version: string; services: Record<string, unknown>[] };
    expect(config._format_version).toBe('3.0');
    // Every API of the org the earlier cases left, by name.
    const names = [...kong.store.get('services')!.values()].map((s) => s['name'] as string).sort();
    expect(config.services.map((s) => s['name'])).toEqual(names);
    const [service] = entities('services', 'greet');
    const exportedGreet = config.services.find((s) => s['name'] === 'default.greet')!;
    expect(exportedGreet).toMatchObject({ host: 'fm.local', port: 8080, path: service.path, tags: service.tags });
    expect(exportedGreet['routes']).toEqual([expect.objectContaining({ name: 'default.greet', paths: ['/default/welcome'] })]);
    // The gateway holds the real secret; the export never does.
    const [transformer] = entities('plugins', 'greet');
    expect(JSON.stringify(transformer.config)).toContain(SUITE_SECRET);
    expect(json.text).not.toContain(SUITE_SECRET);
    expect(json.text).toContain('x-dispatch-gateway-secret:${{ env \\"DECK_GATEWAY_SHARED_SECRET\\" }}');

    for (const [query, accept] of [
      ['', 'application/yaml'],
      ['?format=yaml', undefined],
      ['?format=yaml', 'application/json'],
    ] as const) {
      const yaml = await exported(query, accept);
      expect(yaml).toMatchObject({ status: 200, type: 'application/yaml; charset=utf-8' });
      expect(yaml.text).toMatch(/^_format_version: "3\.0"\n_info:\n  select_tags:\n    - dispatch\n    - org:default\nservices:\n/);
      expect(parse(yaml.text)).toEqual(config);
      expect(yaml.text).not.toMatch(/[&*]a\d/);
    }
    const bad = await exported('?format=xml');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({ code: 'VALIDATION_FAILED' });
    // As every /v1 route: no token, no export.
    const other = await fetch(`${solo.api}/v1/api/export`, { headers: { authorization: 'Bearer nope' } });
    expect(other.status).toBe(401);
  });

  it('deletes the Kong entities of a deleted API, then the API', async () => {
    expect((await call('DELETE', '/v1/api/greet')).status).toBe(204);
    await waitFor(async () => (await call('GET', '/v1/api/greet')).status === 404, { what: 'the API to go' });
    for (const table of ['services', 'routes', 'plugins']) expect(entities(table, 'greet')).toEqual([]);
    // The path is free again.
    expect((await call('POST', '/v1/api', { name: 'again', function: 'hello', paths: ['/welcome'] })).status).toBe(201);
    await untilStatus('again', 'READY');
  });
});
