import { createServer } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { ErrorCode } from '@dispatch/contracts';
import { useTempDir } from '@dispatch/testing/temp-dir';
import {
  KONG_ROUTE_DEFAULTS,
  KongAdminClient,
  KongApiError,
  KongUnavailableError,
  type KongClientOptions,
  type KongServiceInput,
} from './index';
import { kongRequestProblems, kongResponseProblems } from './test-support/contract-checks';
import { startSpecKong, type SpecKong } from './test-support/spec-kong';

const TOKEN = 'kong-admin-7f3a9c';
const TAGS = ['dispatch', 'org:acme', 'api:hello'];
const upstream: KongServiceInput = {
  protocol: 'http',
  host: 'gateway.openfaas',
  port: 8080,
  path: '/function/hello',
  enabled: true,
  tags: TAGS,
};

let kong: SpecKong;
const clients: KongAdminClient[] = [];

function client(options: Partial<KongClientOptions> = {}): KongAdminClient {
  const c = new KongAdminClient({ baseUrl: kong.url, adminToken: TOKEN, timeoutMs: 2000, ...options });
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

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

const last = () => kong.requests[kong.requests.length - 1];

beforeAll(() => {
  // The checks compile the whole Kong document on first use, blocking this process (and so the
  // client's timers) for seconds on a busy machine: compile it before any client waits.
  kongResponseProblems({ method: 'GET', path: '/', query: {} }, 200, {});
  kongRequestProblems({ method: 'GET', path: '/services', query: {} });
});

beforeEach(async () => {
  kong = await startSpecKong({ adminToken: TOKEN });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  const problems = kong.ownProblems;
  await kong.stop();
  expect(problems).toEqual([]);
});

describe('KongAdminClient against the spec-checked Kong Admin API', () => {
  it('reads the node info and status, sending the admin token', async () => {
    const c = client();
    expect(await c.info()).toMatchObject({ version: '3.9.0', edition: 'community' });
    expect(last().headers['kong-admin-token']).toBe(TOKEN);
    expect(await c.status()).toMatchObject({ database: { reachable: true } });
    const anonymous = client({ adminToken: undefined });
    const err = await rejection(anonymous.info());
    expect(err).toBeInstanceOf(KongApiError);
    expect(err).toMatchObject({ status: 401, code: ErrorCode.PROVIDER_ERROR });
    expect(err.message).toMatch(/rejected the admin token \(HTTP 401\).*check the Kong-Admin-Token/);
  });

  it('upserts a service by name: created, then replaced with the same id, then read and deleted', async () => {
    const c = client();
    const created = await c.upsertService('hello', upstream);
    expect(last()).toMatchObject({ method: 'PUT', path: '/services/hello' });
    expect(created).toMatchObject({ name: 'hello', host: 'gateway.openfaas', port: 8080, tags: TAGS, retries: 5 });
    const replaced = await c.upsertService('hello', { ...upstream, path: '/function/hello-2' });
    expect(replaced.id).toBe(created.id);
    expect(replaced.path).toBe('/function/hello-2');
    expect(kong.store.get('services')!.size).toBe(1);
    expect(await c.getService('hello')).toMatchObject({ id: created.id, path: '/function/hello-2' });
    expect(await c.getService(created.id!)).toMatchObject({ name: 'hello' });
    await c.deleteService('hello');
    expect(await c.getService('hello')).toBeUndefined();
    await c.deleteService('hello'); // already gone: still fine
    expect(kong.rejected).toEqual([]);
  });

  it('upserts routes top-level and under their service, and lists a service’s routes', async () => {
    const c = client();
    const service = await c.upsertService('hello', upstream);
    const nested = await c.upsertRoute(
      'hello-get',
      { ...KONG_ROUTE_DEFAULTS, paths: ['/acme/hello'], methods: ['GET'], tags: TAGS },
      { service: 'hello' },
    );
    expect(last()).toMatchObject({ method: 'PUT', path: '/services/hello/routes/hello-get' });
    expect(nested.service).toEqual({ id: service.id });
    const top = await c.upsertRoute('hello-post', {
      ...KONG_ROUTE_DEFAULTS,
      paths: ['/acme/hello'],
      methods: ['POST'],
      service: { id: service.id },
    });
    expect(top).toMatchObject({ name: 'hello-post', service: { id: service.id }, strip_path: true });
    await c.upsertService('other', upstream);
    await c.upsertRoute('other-get', { ...KONG_ROUTE_DEFAULTS, paths: ['/acme/other'] }, { service: 'other' });
    expect((await c.listAll('routes', { service: 'hello' })).map((r) => r.name).sort()).toEqual(['hello-get', 'hello-post']);
    expect(await c.listAll('routes')).toHaveLength(3);

    // Kong refuses to delete a service its routes still use (foreign key violation, 400).
    const refused = await rejection(c.deleteService('hello'));
    expect(refused).toBeInstanceOf(KongApiError);
    expect(refused).toMatchObject({ status: 400, kong: { code: 4, name: 'foreign key violation' } });
    await c.deleteRoute('hello-get');
    await c.deleteRoute(top.id!);
    await c.deleteService('hello');
    expect(await c.getRoute('hello-get')).toBeUndefined();
    expect(kong.rejected).toEqual([]);
  });

  it('upserts plugins by instance name, scoped to a service, a route or everything, with configs their schemas accept', async () => {
    const c = client();
    await c.upsertService('hello', upstream);
    await c.upsertRoute('hello-get', { ...KONG_ROUTE_DEFAULTS, paths: ['/acme/hello'] }, { service: 'hello' });
    const cors = await c.upsertPlugin(
      'hello-cors',
      { name: 'cors', config: { origins: ['https://acme.example'], credentials: true }, tags: TAGS },
      { service: 'hello' },
    );
    expect(last()).toMatchObject({ method: 'PUT', path: '/services/hello/plugins/hello-cors' });
    expect(cors).toMatchObject({ name: 'cors', instance_name: 'hello-cors', service: { id: expect.any(String) } });
    await c.upsertPlugin(
      'hello-limits',
      { name: 'rate-limiting', config: { minute: 60, policy: 'local' }, tags: TAGS },
      { route: 'hello-get' },
    );
    expect(last().path).toBe('/routes/hello-get/plugins/hello-limits');
    await c.upsertPlugin(
      'hello-size',
      { name: 'request-size-limiting', config: { allowed_payload_size: 8, size_unit: 'megabytes' }, tags: TAGS },
      { route: 'hello-get' },
    );
    await c.upsertPlugin(
      'hello-key-auth',
      { name: 'key-auth', config: { key_names: ['apikey'], hide_credentials: true }, tags: TAGS },
      { route: 'hello-get' },
    );
    await c.upsertPlugin('hello-jwt', { name: 'jwt', config: { claims_to_verify: ['exp'] }, tags: TAGS }, { service: 'hello' });
    await c.upsertPlugin(
      'hello-acl',
      { name: 'acl', config: { allow: ['acme-hello'], hide_groups_header: true }, tags: TAGS },
      { service: 'hello' },
    );
    const again = await c.upsertPlugin('hello-cors', { name: 'cors', config: { origins: ['*'] }, tags: TAGS }, { service: 'hello' });
    expect(again.id).toBe(cors.id);
    expect(again.config).toEqual({ origins: ['*'] });
    expect(await c.listAll('plugins', { route: 'hello-get' })).toHaveLength(3);
    expect(await c.listAll('plugins', { service: 'hello' })).toHaveLength(3);
    await c.deletePlugin('hello-cors');
    expect(await c.getPlugin('hello-cors')).toBeUndefined();
    expect(kong.rejected).toEqual([]);
  });

  it('upserts consumers and their key-auth keys, jwt secrets and acl groups; deleting the consumer deletes them', async () => {
    const c = client();
    const alice = await c.upsertConsumer('acme-alice', { username: 'acme-alice', custom_id: 'acme/alice', tags: TAGS });
    expect(last()).toMatchObject({ method: 'PUT', path: '/consumers/acme-alice' });
    const key = await c.upsertKeyAuth('acme-alice', 'k-0a1b2c3d4e', { tags: TAGS });
    expect(key).toMatchObject({ key: 'k-0a1b2c3d4e', consumer: { id: alice.id }, tags: TAGS });
    const jwt = await c.upsertJwtSecret('acme-alice', 'acme-issuer', { algorithm: 'HS256', secret: 's3cret-s3cret', tags: TAGS });
    expect(last().path).toBe('/consumers/acme-alice/jwt/acme-issuer');
    expect(jwt).toMatchObject({ key: 'acme-issuer', algorithm: 'HS256', consumer: { id: alice.id } });
    const acl = await c.upsertAcl('acme-alice', 'acme-hello', { tags: TAGS });
    expect(acl).toMatchObject({ group: 'acme-hello', consumer: { id: alice.id } });
    expect((await c.upsertAcl('acme-alice', 'acme-hello', { tags: TAGS })).id).toBe(acl.id);
    expect(await c.listAll('key-auths', { consumer: 'acme-alice' })).toHaveLength(1);
    expect(await c.listAll('jwts', { consumer: 'acme-alice' })).toHaveLength(1);
    expect(await c.listAll('acls', { tags: ['api:hello'] })).toHaveLength(1);
    // A key is unique across consumers; Kong's 409 quotes it, the client's error does not.
    await c.upsertConsumer('acme-bob', { username: 'acme-bob', custom_id: 'acme/bob' });
    const clash = await rejection(c.upsertKeyAuth('acme-bob', 'k-0a1b2c3d4e'));
    expect(clash).toMatchObject({ status: 409, kong: { name: 'unique constraint violation', fields: { key: '(withheld)' } } });
    expect(JSON.stringify({ m: clash.message, k: (clash as KongApiError).kong })).not.toContain('k-0a1b2c3d4e');
    expect((await c.listAll('consumers', { tags: ['org:acme'] })).map((x) => x.username)).toEqual(['acme-alice']);
    await c.deleteConsumer('acme-bob');
    await c.deleteKeyAuth('acme-alice', 'k-0a1b2c3d4e');
    expect(await c.listAll('key-auths')).toEqual([]);
    await c.upsertAcl('acme-alice', 'acme-other');
    await c.deleteAcl('acme-alice', 'acme-other');
    expect((await c.listAll('acls', { consumer: 'acme-alice' })).map((x) => x.group)).toEqual(['acme-hello']);
    await c.upsertJwtSecret('acme-alice', 'acme-issuer-2', { algorithm: 'HS256', secret: 'other-secret' });
    await c.deleteJwtSecret('acme-alice', 'acme-issuer-2');
    expect((await c.listAll('jwts', { consumer: 'acme-alice' })).map((x) => x.key)).toEqual(['acme-issuer']);
    expect(await c.getConsumer('acme-alice')).toMatchObject({ id: alice.id, custom_id: 'acme/alice' });
    await c.deleteConsumer('acme-alice');
    expect(await c.getConsumer('acme-alice')).toBeUndefined();
    expect(await c.listAll('acls')).toEqual([]);
    expect(await c.listAll('jwts')).toEqual([]);
    await c.deleteAcl('acme-alice', 'acme-hello'); // the consumer is gone (404 from Kong): nothing left to delete
    expect(kong.rejected).toEqual([]);
  });

  it('pages through a list with offset, keeping size and tags on every page', async () => {
    const c = client({ pageSize: 3 });
    for (let i = 0; i < 8; i++) await c.upsertService(`svc-${i}`, { ...upstream, tags: ['dispatch', `org:${i % 2 ? 'odd' : 'even'}`] });
    kong.requests.length = 0;
    const names: string[] = [];
    for await (const s of c.list('services')) names.push(s.name!);
    expect(names).toEqual(Array.from({ length: 8 }, (_, i) => `svc-${i}`));
    expect(kong.requests.map((r) => r.query)).toEqual([
      { size: '3' },
      { size: '3', offset: expect.any(String) },
      { size: '3', offset: expect.any(String) },
    ]);
    kong.requests.length = 0;
    const even = await c.listAll('services', { tags: ['dispatch', 'org:even'], pageSize: 2 });
    expect(even.map((s) => s.name)).toEqual(['svc-0', 'svc-2', 'svc-4', 'svc-6']);
    expect(kong.requests.every((r) => r.query['tags'] === 'dispatch,org:even' && r.query['size'] === '2')).toBe(true);
    expect(await c.listAll('services', { tags: ['org:none', 'org:odd'], tagsMode: 'or' })).toHaveLength(4);
    expect(last().query['tags']).toBe('org:none/org:odd');
    expect(await c.listAll('services', { tags: ['org:odd', 'org:even'] })).toEqual([]);
    expect(kong.rejected).toEqual([]);
  });

  it('maps Kong’s error bodies: 409 unique violation, 400 schema violation with fields', async () => {
    const c = client();
    await c.upsertConsumer('acme-alice', { username: 'acme-alice', custom_id: 'acme/alice' });
    const conflict = await rejection(c.upsertConsumer('acme-bob', { username: 'acme-bob', custom_id: 'acme/alice' }));
    expect(conflict).toBeInstanceOf(KongApiError);
    expect(conflict).toMatchObject({
      status: 409,
      isConflict: true,
      kong: { code: 5, name: 'unique constraint violation', fields: { custom_id: 'acme/alice' } },
    });
    expect(conflict.message).toMatch(
      /^Kong at http:\/\/127\.0\.0\.1:\d+ refused to upsert consumer acme-bob \(HTTP 409 unique constraint violation\): UNIQUE violation/,
    );

    const invalid = await rejection(
      c.upsertPlugin('bad-limits', { name: 'rate-limiting', config: { minute: 'sixty', limit_by: 'planet' } }),
    );
    expect(invalid).toMatchObject({ status: 400, kong: { code: 2, name: 'schema violation' } });
    expect((invalid as KongApiError).fields).toMatchObject({
      'config.minute': 'must be number',
      'config.limit_by': expect.stringMatching(/allowed values/),
    });
    expect(kong.rejected).toHaveLength(1);
  });

  it('the contract checks catch a request that violates the document: an unknown config field, a missing required field, a bad size', async () => {
    const c = client();
    await rejection(c.upsertPlugin('typo', { name: 'cors', config: { origin: ['*'] } }));
    await rejection(c.upsertService('no-host', { protocol: 'http', port: 80, enabled: true } as unknown as KongServiceInput));
    await rejection(c.upsertPlugin('unknown', { name: 'bot-detection' }));
    const size = await rejection(c.listAll('services', { pageSize: 5000 }));
    expect(size).toMatchObject({ status: 400 });
    expect(kong.rejected.map((r) => r.problems)).toEqual([
      ['body/config/origin unknown field'],
      ["body/host must have required property 'host'"],
      ['body/name no schema for plugin bot-detection in ../shared/specs/kong/plugins'],
      ['query.size must be <= 1000'],
    ]);
    expect(kong.store.get('services')!.size).toBe(0);
  });

  it('refuses bad names, tags and nesting before sending anything', async () => {
    const c = client();
    for (const call of [
      c.upsertService('a/b', upstream),
      c.getService(''),
      c.listAll('services', { tags: ['a,b'] }),
      c.listAll('services', { service: 'hello' }),
      c.listAll('key-auths', { service: 'hello' }),
    ]) {
      expect(await rejection(call)).toMatchObject({ code: ErrorCode.VALIDATION_FAILED });
    }
    expect(kong.requests).toEqual([]);
  });

  it('answers KongUnavailableError (503) when nothing listens, when Kong hangs past the timeout, and on 503', async () => {
    const down = client({ baseUrl: `http://127.0.0.1:${await closedPort()}` });
    const refused = await rejection(down.upsertService('hello', upstream));
    expect(refused).toBeInstanceOf(KongUnavailableError);
    expect(refused).toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE, failure: 'unreachable', httpStatus: 503 });
    expect(refused.message).toMatch(/is not reachable \(ECONNREFUSED\) to upsert service hello/);

    kong.failNext({ hang: true });
    const slow = client({ timeoutMs: 200 });
    const timedOut = await rejection(slow.getService('hello'));
    expect(timedOut).toMatchObject({ failure: 'timeout', httpStatus: 503 });
    expect(timedOut.message).toMatch(/did not answer within 200 ms when asked to read service hello/);

    // A peer that keeps the socket busy but never finishes is cut at the deadline too.
    kong.failNext({ drip: true });
    const dripped = await rejection(client({ timeoutMs: 300 }).status());
    expect(dripped).toMatchObject({ failure: 'timeout', httpStatus: 503 });

    kong.failNext({ status: 503, body: '{"message":"An unexpected error occurred"}' });
    expect(await rejection(client().listAll('services'))).toMatchObject({ failure: 'unavailable', httpStatus: 503 });
  });

  describe('over a unix socket', () => {
    const dir = useTempDir('kong-socket-', 'test');

    it('talks to an Admin API that listens on a unix socket, and says so when the socket is missing', async () => {
      const socketPath = join(dir.path, 'admin.sock');
      const local = await startSpecKong({ socketPath });
      try {
        const c = client({ baseUrl: local.url, socketPath, adminToken: undefined });
        await c.upsertService('hello', upstream);
        expect(await c.listAll('services')).toEqual([expect.objectContaining({ name: 'hello' })]);
        expect(local.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['PUT /services/hello', 'GET /services']);
        expect(local.ownProblems).toEqual([]);
      } finally {
        await local.stop();
      }
      const gone = client({ baseUrl: 'http://localhost', socketPath: join(dir.path, 'none.sock') });
      expect(await rejection(gone.info())).toMatchObject({ failure: 'unreachable', details: { cause: 'ENOENT' } });
    });
  });

  it('never logs the admin token, bodies, or a key-auth key', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const c = client({ logger: pino({ level: 'debug' }, sink) });
    await c.upsertConsumer('acme-alice', { username: 'acme-alice', custom_id: 'acme/alice' });
    await c.upsertKeyAuth('acme-alice', 'k-secret-9f8e7d');
    await c.listAll('consumers');
    const logged = lines.join('');
    expect(lines).toHaveLength(3);
    expect(logged).toContain('/consumers/acme-alice/key-auth/…');
    for (const secret of [TOKEN, 'k-secret-9f8e7d', 'acme/alice']) expect(logged).not.toContain(secret);
  });
});
