import type { GatewayState } from '../kong-entities';
import { validateGatewayState } from '../proxy/gateway-proxy';
import { AdminError } from './admin-errors';
import { EntityStore } from './entity-store';

let committed: GatewayState[];
let clock: number;
let store: EntityStore;

beforeEach(() => {
  committed = [];
  clock = 1_700_000_000_000;
  store = new EntityStore(
    (state) => {
      validateGatewayState(state);
      committed.push(state);
    },
    () => clock,
  );
});

function refusal(write: () => unknown): AdminError {
  try {
    write();
  } catch (error) {
    if (error instanceof AdminError) return error;
    throw error;
  }
  throw new Error('expected the write to be refused');
}

describe('EntityStore (Kong DAO semantics)', () => {
  it('creates with an id and timestamps, reads by id or name, replaces keeping id and created_at, patches, deletes idempotently', () => {
    const created = store.create('services', { name: 'hello', url: 'https://fn.local:8443/function/hello' });
    expect(created).toMatchObject({ protocol: 'https', host: 'fn.local', port: 8443, path: '/function/hello', retries: 5 });
    expect(created).toMatchObject({ created_at: 1_700_000_000, updated_at: 1_700_000_000, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(store.get('services', 'hello')).toBe(created);
    expect(store.get('services', created.id)).toBe(created);
    clock += 5000;
    const replaced = store.upsert('services', 'hello', { host: 'other.local' });
    expect(replaced).toMatchObject({ id: created.id, created_at: 1_700_000_000, updated_at: 1_700_000_005, port: 80, protocol: 'http' });
    expect(replaced['path']).toBeUndefined();
    const patched = store.update('services', created.id, { port: 8080 });
    expect(patched).toMatchObject({ host: 'other.local', port: 8080, name: 'hello' });
    store.delete('services', 'hello');
    store.delete('services', 'hello');
    expect(store.get('services', 'hello')).toBeUndefined();
    expect(refusal(() => store.update('services', 'hello', { port: 1 }))).toMatchObject({ status: 404, body: { message: 'Not found' } });
    expect(committed.at(-1)!.services).toEqual([]);
  });

  it('refuses unknown and missing fields, a consumer without username or custom_id, and a duplicate name with Kong’s codes', () => {
    expect(refusal(() => store.create('services', { hots: 'typo' })).body).toEqual({
      code: 2,
      name: 'schema violation',
      message: '2 schema violations (hots: unknown field; host: required field missing)',
      fields: { hots: 'unknown field', host: 'required field missing' },
    });
    expect(refusal(() => store.create('consumers', { tags: ['x'] })).body).toMatchObject({
      code: 2,
      fields: { '@entity': ["at least one of these fields must be non-empty: 'custom_id', 'username'"] },
    });
    expect(refusal(() => store.create('services', { host: 'a', port: '80', retries: 1.5, enabled: 'yes' })).body['fields']).toEqual({
      port: 'expected an integer',
      retries: 'expected an integer',
      enabled: 'expected a boolean',
    });
    expect(refusal(() => store.create('services', { host: 'a', read_timeout: 0 })).body['fields']).toEqual({
      read_timeout: 'value should be between 1 and 2147483646',
    });
    expect(refusal(() => store.create('routes', { paths: 'x' })).body['fields']).toEqual({ paths: 'expected a set' });
    expect(refusal(() => store.create('routes', { paths: ['x'] })).body['fields']).toEqual({
      paths: 'should start with: / (fixed path) or ~/ (regex path)',
    });
    expect(refusal(() => store.create('routes', { paths: ['/x'], protocols: ['gopher'] })).body['fields']).toMatchObject({
      protocols: expect.stringMatching(/^expected one of: grpc/),
    });
    store.create('services', { name: 'hello', host: 'a' });
    expect(refusal(() => store.create('services', { name: 'hello', host: 'b' }))).toMatchObject({
      status: 409,
      body: {
        code: 5,
        name: 'unique constraint violation',
        message: `UNIQUE violation detected on '{name="hello"}'`,
        fields: { name: 'hello' },
      },
    });
  });

  it('checks foreign keys, refuses deleting a service routes use, and cascades plugins and credentials', () => {
    expect(refusal(() => store.create('routes', { paths: ['/x'], service: { id: '00000000-0000-4000-8000-000000000001' } }))).toMatchObject(
      {
        status: 400,
        body: { code: 4, name: 'foreign key violation', fields: { service: { id: '00000000-0000-4000-8000-000000000001' } } },
      },
    );
    const service = store.create('services', { name: 'hello', host: 'a' });
    const route = store.create('routes', { name: 'r', paths: ['/x'] }, { field: 'service', id: service.id });
    store.create('plugins', { name: 'cors' }, { field: 'route', id: route.id });
    store.create('plugins', { name: 'cors' }, { field: 'service', id: service.id });
    expect(refusal(() => store.delete('services', 'hello')).body).toMatchObject({ code: 4, fields: { '@referenced_by': 'routes' } });
    store.delete('routes', 'r');
    expect(store.state().plugins).toHaveLength(1);
    const alice = store.create('consumers', { username: 'alice' });
    const mine = { field: 'consumer', id: alice.id };
    store.upsert('keyauth_credentials', 'k-1', {}, mine);
    store.create('acls', { group: 'g' }, mine);
    expect(refusal(() => store.create('acls', { group: 'g' }, mine)).status).toBe(409);
    store.delete('consumers', 'alice');
    expect(store.state()).toMatchObject({ consumers: [], keyauth_credentials: [], acls: [] });
  });

  it('fills a plugin’s config defaults, allows one plugin of a name per scope, and merges config on PATCH', () => {
    const p = store.create('plugins', { name: 'rate-limiting', config: { minute: 5 } });
    expect(p).toMatchObject({
      enabled: true,
      protocols: ['grpc', 'grpcs', 'http', 'https'],
      config: { minute: 5, policy: 'local', limit_by: 'consumer' },
    });
    expect(refusal(() => store.create('plugins', { name: 'rate-limiting', config: { hour: 5 } })).body).toMatchObject({
      code: 5,
      fields: { consumer: null, name: 'rate-limiting', route: null, service: null },
    });
    expect(store.update('plugins', p.id, { config: { hour: 50 } })['config']).toMatchObject({ minute: 5, hour: 50 });
    expect(refusal(() => store.create('plugins', { name: 'oauth2' })).body).toMatchObject({
      code: 2,
      fields: { name: expect.stringMatching(/not enabled/) },
    });
  });

  it('leaves everything as it was when the data plane refuses the resulting state', () => {
    const service = store.create('services', { name: 'hello', host: 'a' });
    const before = committed.length;
    const refused = refusal(() => store.create('routes', { name: 'bad', paths: ['~/(['] }, { field: 'service', id: service.id }));
    expect(refused.body).toMatchObject({ code: 2, name: 'schema violation', fields: { '@entity': [expect.any(String)] } });
    expect(committed).toHaveLength(before);
    expect(store.get('routes', 'bad')).toBeUndefined();
    expect(refusal(() => store.create('routes', { name: 'nothing' })).body).toMatchObject({
      fields: { '@entity': ["must set one of 'methods', 'hosts', 'headers', 'paths' when 'protocols' is 'http'"] },
    });
  });

  it('pages in id order from an offset, and filters tags with AND (a,b) and OR (a/b)', () => {
    for (let i = 0; i < 5; i++) store.create('consumers', { username: `u${i}`, tags: i % 2 ? ['odd', 'all'] : ['even', 'all'] });
    const first = store.list('consumers', { size: '2' });
    expect(first.data).toHaveLength(2);
    const second = store.list('consumers', { size: '2', offset: Buffer.from(first.nextStart!).toString('base64url') });
    const third = store.list('consumers', { size: '2', offset: Buffer.from(second.nextStart!).toString('base64url') });
    expect(third.nextStart).toBeUndefined();
    const ids = [...first.data, ...second.data, ...third.data].map((e) => e.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(5);
    expect(store.list('consumers', { tags: 'odd,all' }).data).toHaveLength(2);
    expect(store.list('consumers', { tags: 'odd/even' }).data).toHaveLength(5);
    expect(refusal(() => store.list('consumers', { size: '0' })).body).toMatchObject({ code: 9 });
    expect(refusal(() => store.list('consumers', { tags: 'a,b/c' })).body).toMatchObject({ code: 11 });
    expect(refusal(() => store.list('consumers', { offset: 'nonsense' })).body).toMatchObject({ code: 7 });
  });
});
