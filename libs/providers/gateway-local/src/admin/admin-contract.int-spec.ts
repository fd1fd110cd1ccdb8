import { join } from 'node:path';
import { KONG_ROUTE_DEFAULTS, KongAdminClient, KongApiError, type KongClientOptions, type KongServiceInput } from '@dispatch/kong-client';
import { describeProblems, kongRequestProblems, kongResponseProblems } from '@dispatch/kong-client/contract-checks';
import { useTempDir } from '@dispatch/testing/temp-dir';
import { startGateway, type Gateway } from '../gateway';
import { startEchoUpstream, type EchoUpstream } from '../test-support/echo-upstream';
import type { AdminExchange } from './admin-server';

/**
 * The project's Kong client against the embedded gateway's Admin API, every exchange held to the
 * Kong document and the plugin schemas (the contract checks the client's own fake is held to):
 * what solo mode's api-manager will do to it.
 */
const TAGS = ['dispatch', 'org:acme', 'api:hello'];
let gateway: Gateway;
let upstream: EchoUpstream;
let exchanges: AdminExchange[];
/** What the client sent that the document refuses, and what the server answered that it does not allow. */
let clientProblems: string[];
let serverProblems: string[];
const clients: KongAdminClient[] = [];

function record(e: AdminExchange): void {
  exchanges.push(e);
  const request = { method: e.method, path: e.path, query: e.query, body: e.body };
  for (const p of describeProblems(kongRequestProblems(request))) clientProblems.push(`${e.method} ${e.path}: ${p}`);
  for (const p of describeProblems(kongResponseProblems(request, e.status, e.response)))
    serverProblems.push(`${e.method} ${e.path} → ${e.status}: ${p}`);
}

function client(options: Partial<KongClientOptions> = {}): KongAdminClient {
  const c = new KongAdminClient({ baseUrl: gateway.admin.url, timeoutMs: 10_000, ...options });
  clients.push(c);
  return c;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof Error)) throw new Error(`expected an error, got ${String(err)}`);
  return err;
}

const service = (port: number): KongServiceInput => ({
  protocol: 'http',
  host: '127.0.0.1',
  port,
  path: '/function/hello',
  enabled: true,
  tags: TAGS,
});

beforeAll(async () => {
  upstream = await startEchoUpstream();
  // The checks compile the whole Kong document on first use, blocking this process (and so the
  // client's timers) for seconds on a busy machine: compile it before any client waits.
  kongResponseProblems({ method: 'GET', path: '/', query: {} }, 200, {});
  kongRequestProblems({ method: 'GET', path: '/services', query: {} });
});

afterAll(async () => {
  await upstream.close();
});

beforeEach(async () => {
  exchanges = [];
  clientProblems = [];
  serverProblems = [];
  gateway = await startGateway({ adminPort: 0, proxyPort: 0, onAdminExchange: record });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await gateway.close();
  expect(serverProblems).toEqual([]);
});

describe('KongAdminClient against the embedded gateway’s Admin API', () => {
  it('reads node info and status as Kong 3.9 with a database answers them', async () => {
    const c = client();
    const info = await c.info();
    expect(info).toMatchObject({ version: '3.9.0', edition: 'community', configuration: { database: 'postgres' } });
    expect(Object.keys(info.plugins?.available_on_server ?? {}).sort()).toEqual([
      'acl',
      'cors',
      'key-auth',
      'rate-limiting',
      'request-size-limiting',
      'request-transformer',
    ]);
    expect(await c.status()).toMatchObject({ database: { reachable: true } });
    expect(clientProblems).toEqual([]);
  });

  it('upserts a service by name (same id on replace), routes under it, and serves them through the proxy', async () => {
    const c = client();
    const created = await c.upsertService('hello', service(upstream.port));
    expect(created).toMatchObject({ name: 'hello', retries: 5, created_at: expect.any(Number) });
    const replaced = await c.upsertService('hello', { ...service(upstream.port), path: '/function/hello-2' });
    expect(replaced).toMatchObject({ id: created.id, created_at: created.created_at, path: '/function/hello-2' });
    const route = await c.upsertRoute(
      'hello-get',
      { ...KONG_ROUTE_DEFAULTS, paths: ['/acme/hello'], methods: ['GET'], tags: TAGS },
      { service: 'hello' },
    );
    expect(route).toMatchObject({ service: { id: created.id }, strip_path: true });
    await c.upsertRoute('hello-post', { ...KONG_ROUTE_DEFAULTS, paths: ['/acme/hello'], methods: ['POST'], service: { id: created.id } });

    const served = await fetch(`${gateway.proxy.url}/acme/hello/x?y=1`);
    expect(served.status).toBe(200);
    expect(await served.json()).toMatchObject({ method: 'GET', url: '/function/hello-2/x?y=1' });

    expect((await c.listAll('routes', { service: 'hello' })).map((r) => r.name).sort()).toEqual(['hello-get', 'hello-post']);
    const refused = await rejection(c.deleteService('hello'));
    expect(refused).toMatchObject({
      status: 400,
      kong: { code: 4, name: 'foreign key violation', fields: { '@referenced_by': 'routes' } },
    });
    await c.deleteRoute('hello-get');
    await c.deleteRoute('hello-post');
    await c.deleteService('hello');
    await c.deleteService('hello'); // already gone: 204 again
    expect(await c.getService(created.id!)).toBeUndefined();
    expect((await fetch(`${gateway.proxy.url}/acme/hello`)).status).toBe(404);
    expect(clientProblems).toEqual([]);
  });

  it('upserts plugins at every scope with their configs defaulted, and the proxy runs them', async () => {
    const c = client();
    await c.upsertService('hello', service(upstream.port));
    await c.upsertRoute('hello-get', { ...KONG_ROUTE_DEFAULTS, paths: ['/acme/hello'] }, { service: 'hello' });
    const cors = await c.upsertPlugin(
      'hello-cors',
      { name: 'cors', config: { origins: ['https://acme.example'] }, tags: TAGS },
      { service: 'hello' },
    );
    expect(cors).toMatchObject({ instance_name: 'hello-cors', service: { id: expect.any(String) }, config: { credentials: false } });
    await c.upsertPlugin(
      'hello-limits',
      { name: 'rate-limiting', config: { minute: 2, policy: 'local' }, tags: TAGS },
      { route: 'hello-get' },
    );
    await c.upsertPlugin('hello-size', { name: 'request-size-limiting', config: { allowed_payload_size: 1 } }, { route: 'hello-get' });
    await c.upsertPlugin('global-acl-free', { name: 'cors', config: { origins: ['*'] } });
    const again = await c.upsertPlugin('hello-cors', { name: 'cors', config: { origins: ['*'] }, tags: TAGS }, { service: 'hello' });
    expect(again.id).toBe(cors.id);
    expect(await c.listAll('plugins', { route: 'hello-get' })).toHaveLength(2);
    expect(await c.listAll('plugins', { service: 'hello' })).toHaveLength(1);
    expect(await c.listAll('plugins')).toHaveLength(4);

    const first = await fetch(`${gateway.proxy.url}/acme/hello`, { headers: { origin: 'https://app.example' } });
    expect(first.headers.get('x-ratelimit-remaining-minute')).toBe('1');
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    await fetch(`${gateway.proxy.url}/acme/hello`);
    expect((await fetch(`${gateway.proxy.url}/acme/hello`)).status).toBe(429);

    // Deleting the route takes its plugins with it, as Kong's cascade does.
    await c.deleteRoute('hello-get');
    expect(await c.listAll('plugins')).toHaveLength(2);
    expect(clientProblems).toEqual([]);
  });

  it('upserts consumers with key-auth keys, jwt secrets and acl groups, which the proxy authenticates by', async () => {
    const c = client();
    await c.upsertService('hello', service(upstream.port));
    await c.upsertRoute('hello-get', { ...KONG_ROUTE_DEFAULTS, paths: ['/acme/hello'] }, { service: 'hello' });
    await c.upsertPlugin('hello-key-auth', { name: 'key-auth', config: { key_names: ['apikey'] } }, { route: 'hello-get' });
    await c.upsertPlugin('hello-acl', { name: 'acl', config: { allow: ['acme-hello'] } }, { route: 'hello-get' });
    const alice = await c.upsertConsumer('acme-alice', { username: 'acme-alice', custom_id: 'acme/alice', tags: TAGS });
    const key = await c.upsertKeyAuth('acme-alice', 'k-0a1b2c3d4e', { tags: TAGS });
    expect(key).toMatchObject({ key: 'k-0a1b2c3d4e', consumer: { id: alice.id } });
    const jwt = await c.upsertJwtSecret('acme-alice', 'acme-issuer', { algorithm: 'HS256', secret: 's3cret-s3cret', tags: TAGS });
    expect(jwt).toMatchObject({ key: 'acme-issuer', consumer: { id: alice.id } });
    const acl = await c.upsertAcl('acme-alice', 'acme-hello', { tags: TAGS });
    expect((await c.upsertAcl('acme-alice', 'acme-hello', { tags: TAGS })).id).toBe(acl.id);

    const allowed = await fetch(`${gateway.proxy.url}/acme/hello`, { headers: { apikey: 'k-0a1b2c3d4e' } });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toMatchObject({ headers: { 'x-consumer-username': 'acme-alice', 'x-consumer-groups': 'acme-hello' } });

    await c.upsertConsumer('acme-bob', { username: 'acme-bob', custom_id: 'acme/bob' });
    const clash = await rejection(c.upsertKeyAuth('acme-bob', 'k-0a1b2c3d4e'));
    expect(clash).toMatchObject({ status: 409, kong: { name: 'unique constraint violation' } });
    const customClash = await rejection(c.upsertConsumer('acme-carol', { username: 'acme-carol', custom_id: 'acme/alice' }));
    expect(customClash).toMatchObject({ status: 409, kong: { code: 5, fields: { custom_id: 'acme/alice' } } });

    expect(await c.listAll('key-auths', { consumer: 'acme-alice' })).toHaveLength(1);
    expect(await c.listAll('jwts')).toHaveLength(1);
    expect(await c.listAll('acls', { tags: ['api:hello'] })).toHaveLength(1);
    await c.deleteAcl('acme-alice', 'acme-hello');
    expect((await fetch(`${gateway.proxy.url}/acme/hello`, { headers: { apikey: 'k-0a1b2c3d4e' } })).status).toBe(403);
    await c.deleteConsumer('acme-alice');
    expect(await c.listAll('key-auths')).toEqual([]);
    expect(await c.listAll('jwts')).toEqual([]);
    expect((await fetch(`${gateway.proxy.url}/acme/hello`, { headers: { apikey: 'k-0a1b2c3d4e' } })).status).toBe(401);
    await c.deleteAcl('acme-alice', 'acme-hello'); // the consumer is gone (404): nothing left to delete
    expect(clientProblems).toEqual([]);
  });

  it('pages lists by size and offset, and filters by tags (all of a,b; any of a/b)', async () => {
    const c = client({ pageSize: 3 });
    for (let i = 0; i < 8; i++) await c.upsertService(`svc-${i}`, { ...service(1), tags: ['dispatch', `org:${i % 2 ? 'odd' : 'even'}`] });
    exchanges.length = 0;
    const names: string[] = [];
    for await (const s of c.list('services')) names.push(s.name!);
    expect(names.sort()).toEqual(Array.from({ length: 8 }, (_, i) => `svc-${i}`));
    expect(exchanges.map((e) => e.query)).toEqual([
      { size: '3' },
      { size: '3', offset: expect.any(String) },
      { size: '3', offset: expect.any(String) },
    ]);
    const even = await c.listAll('services', { tags: ['dispatch', 'org:even'], pageSize: 2 });
    expect(even.map((s) => s.name).sort()).toEqual(['svc-0', 'svc-2', 'svc-4', 'svc-6']);
    expect(await c.listAll('services', { tags: ['org:none', 'org:odd'], tagsMode: 'or' })).toHaveLength(4);
    expect(await c.listAll('services', { tags: ['org:odd', 'org:even'] })).toEqual([]);
    expect(clientProblems).toEqual([]);
  });

  it('refuses what Kong refuses with its error bodies, and a refused write changes nothing the proxy serves', async () => {
    const c = client();
    await c.upsertService('hello', service(upstream.port));
    await c.upsertRoute('hello-get', { ...KONG_ROUTE_DEFAULTS, paths: ['/acme/hello'] }, { service: 'hello' });
    const invalid = await rejection(
      c.upsertPlugin('bad-limits', { name: 'rate-limiting', config: { minute: 'sixty', limit_by: 'planet' } }),
    );
    expect(invalid).toBeInstanceOf(KongApiError);
    expect(invalid).toMatchObject({
      status: 400,
      kong: { code: 2, name: 'schema violation', fields: { config: { minute: 'must be number' } } },
    });
    expect((invalid as KongApiError).kong.message).toMatch(/^2 schema violations \(.*config\.minute: must be number/);
    // The contract checks refuse that body too: the server answers what Kong would, not more leniently.
    expect(clientProblems).toEqual(expect.arrayContaining([expect.stringMatching(/^PUT \/plugins\/bad-limits: .*minute/)]));
    const noPeriod = await rejection(
      c.upsertPlugin('no-period', { name: 'rate-limiting', config: { policy: 'local' } }, { route: 'hello-get' }),
    );
    expect(noPeriod).toMatchObject({ status: 400, kong: { code: 2 } });
    const unknownPlugin = await rejection(c.upsertPlugin('jwt-check', { name: 'jwt', config: {} }, { service: 'hello' }));
    expect(unknownPlugin).toMatchObject({
      status: 400,
      kong: { fields: { name: "plugin 'jwt' not enabled; add it to the 'plugins' configuration property" } },
    });
    const noService = await rejection(
      c.upsertRoute('orphan', { ...KONG_ROUTE_DEFAULTS, paths: ['/x'], service: { id: '6f1c1f3a-3f5e-4d1f-9a53-0d1c2b3a4f5e' } }),
    );
    expect(noService).toMatchObject({ status: 400, kong: { code: 4, name: 'foreign key violation' } });
    const badRegex = await rejection(c.upsertRoute('bad-regex', { ...KONG_ROUTE_DEFAULTS, paths: ['~/acme/(['] }, { service: 'hello' }));
    expect(badRegex).toMatchObject({ status: 400, kong: { code: 2, name: 'schema violation' } });
    expect((await fetch(`${gateway.proxy.url}/acme/hello`)).status).toBe(200);
    expect(gateway.store.state().plugins).toEqual([]);
    expect(gateway.store.state().routes.map((r) => r.name)).toEqual(['hello-get']);
    expect(await rejection(c.listAll('services', { pageSize: 5000 }))).toMatchObject({ status: 400, kong: { code: 9 } });
  });

  describe('over a unix socket', () => {
    const dir = useTempDir('gateway-admin-', 'test');

    it('serves the client on a unix socket', async () => {
      const socketPath = join(dir.path, 'admin.sock');
      const local = await startGateway({ adminSocket: socketPath, proxyPort: 0, onAdminExchange: record });
      try {
        const c = client({ baseUrl: local.admin.url, socketPath });
        await c.upsertService('hello', service(upstream.port));
        expect(await c.listAll('services')).toEqual([expect.objectContaining({ name: 'hello' })]);
      } finally {
        await local.close();
      }
      expect(clientProblems).toEqual([]);
    });
  });

  it('refuses to listen for the Admin API anywhere but loopback', async () => {
    await expect(startGateway({ adminPort: 0, adminHost: '0.0.0.0', proxyPort: 0 })).rejects.toThrow(
      /Admin API listens on loopback only, not on "0\.0\.0\.0".*give 127\.0\.0\.1, ::1 or a unix socket/,
    );
  });
});
