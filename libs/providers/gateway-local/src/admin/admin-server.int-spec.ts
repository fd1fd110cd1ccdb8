import { validateGatewayState } from '../proxy/gateway-proxy';
import { startGatewayAdmin, type GatewayAdmin } from './admin-server';
import { EntityStore } from './entity-store';

/** The Admin API over HTTP, as a client that is not the project's own (curl, decK) sees it. */
let admin: GatewayAdmin;

async function call(method: string, path: string, body?: unknown, contentType = 'application/json') {
  const res = await fetch(`${admin.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': contentType },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

beforeEach(async () => {
  admin = await startGatewayAdmin({ store: new EntityStore(validateGatewayState) });
});

afterEach(async () => {
  await admin.close();
});

describe('the gateway’s Admin API over HTTP', () => {
  it('creates with POST (201), nests under a parent, and answers Kong’s 404 and 405 bodies', async () => {
    const service = await call('POST', '/services', { name: 'hello', url: 'http://127.0.0.1:9/fn' });
    expect(service).toMatchObject({ status: 201, body: { name: 'hello', host: '127.0.0.1', port: 9, path: '/fn' } });
    expect(service.headers.get('server')).toBe('kong/3.9.0');
    const route = await call('POST', '/services/hello/routes', { name: 'r', paths: ['/x'] });
    expect(route).toMatchObject({ status: 201, body: { service: { id: service.body.id } } });
    await call('POST', '/services', { name: 'other', host: 'a' });
    expect(await call('GET', '/services/other/routes/r')).toEqual(expect.objectContaining({ status: 404, body: { message: 'Not found' } }));
    expect((await call('GET', '/services/hello/routes/r')).status).toBe(200);
    expect(await call('GET', '/nothing-here')).toMatchObject({ status: 404, body: { message: 'Not found' } });
    expect(await call('DELETE', '/services')).toMatchObject({ status: 405, body: { message: 'Method not allowed' } });
    expect(await call('GET', '/services/missing/routes')).toMatchObject({ status: 404 });
    expect(await call('GET', '/services/%E0%A4%A')).toMatchObject({ status: 404, body: { message: 'Not found' } });
  });

  it('takes url-encoded forms as Kong does, and answers an unparsable JSON body with 400', async () => {
    const created = await call('POST', '/consumers', 'username=alice&tags[]=a&tags[]=b', 'application/x-www-form-urlencoded');
    expect(created).toMatchObject({ status: 201, body: { username: 'alice', tags: ['a', 'b'] } });
    const plugin = await call('POST', '/plugins', 'name=rate-limiting&config.minute=5', 'application/x-www-form-urlencoded');
    // A form's values are strings: Kong coerces them by its schema; this Admin API takes JSON's types only.
    expect(plugin).toMatchObject({ status: 400, body: { code: 2, fields: { config: { minute: expect.any(String) } } } });
    expect(await call('POST', '/services', '{"name":')).toMatchObject({ status: 400, body: { message: 'Cannot parse JSON body' } });
  });

  it('answers the entity kinds it does not keep as empty lists, and pages with a next link that works', async () => {
    for (const kind of [
      'upstreams',
      'certificates',
      'ca_certificates',
      'snis',
      'consumer_groups',
      'vaults',
      'basic-auths',
      'hmac-auths',
      'oauth2',
      'mtls-auths',
    ])
      expect(await call('GET', `/${kind}`)).toMatchObject({ status: 200, body: { data: [], next: null } });
    expect((await call('POST', '/upstreams', { name: 'u' })).status).toBe(404);
    for (let i = 0; i < 3; i++) await call('PUT', `/consumers/u${i}`, { tags: ['t'] });
    const first = await call('GET', '/consumers?size=2&tags=t');
    expect(first.body).toMatchObject({ next: expect.stringMatching(/^\/consumers\?size=2&tags=t&offset=/), offset: expect.any(String) });
    const second = await call('GET', first.body.next);
    expect(second.body).toMatchObject({ next: null });
    expect([...first.body.data, ...second.body.data].map((c: { username: string }) => c.username).sort()).toEqual(['u0', 'u1', 'u2']);
  });

  it('serves node info for decK: version, a database, the plugins it runs', async () => {
    const { body } = await call('GET', '/');
    expect(body).toMatchObject({ version: '3.9.0', configuration: { database: 'postgres' } });
    expect(body.plugins.available_on_server).toMatchObject({ cors: { priority: 2000 }, 'key-auth': { priority: 1250 } });
    expect((await call('GET', '/status')).body).toMatchObject({ database: { reachable: true } });
  });
});
