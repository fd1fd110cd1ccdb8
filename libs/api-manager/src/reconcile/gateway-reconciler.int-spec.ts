import type { Bus } from '@dispatch/bus';
import { KongAdminClient } from '@dispatch/kong-client';
import { startSpecKong, type SpecKong } from '@dispatch/kong-client/spec-kong';
import { createLogger, DispatchError } from '@dispatch/platform';
import { apiConfigSchema } from '../api-config';
import { apiCreateBody } from '../api/api.dto';
import { ApisService } from '../api/api.service';
import { FunctionReferences } from '../api/function-references';
import { ApiStore } from '../persistence/api-store';
import { useApisDatabase } from '../test-support/apis-database';
import { GatewayReconciler } from './gateway-reconciler';

const log = createLogger({ level: 'silent', name: 'gateway-reconciler-test' });

/**
 * The use cases and the reconcile loop on real PostgreSQL, driving the spec-checked fake Kong; the
 * bus is replaced by an answer of which functions exist. Passes are run by the test, one at a time.
 */
describe('ApisService and GatewayReconciler', () => {
  const db = useApisDatabase({ log });
  let kong: SpecKong;
  let client: KongAdminClient;
  let store: ApiStore;
  let reconciler: GatewayReconciler;
  let apis: ApisService;
  const functions = new Set(['acme/hello', 'globex/hello']);

  beforeAll(async () => {
    kong = await startSpecKong();
    client = new KongAdminClient({ baseUrl: kong.url });
    const config = apiConfigSchema.parse({
      KONG_ADMIN_URL: kong.url,
      FUNCTION_MANAGER_URL: 'http://fm:8080',
      GATEWAY_SHARED_SECRET: 'secret-of-this-suite-0123',
    });
    store = new ApiStore(db.ds);
    reconciler = new GatewayReconciler(client, config, store, log);
    jest.spyOn(reconciler, 'kick').mockImplementation(() => undefined);
    const bus = { request: async (_s: string, p: { org: string; name: string }) => ({ exists: functions.has(`${p.org}/${p.name}`) }) };
    apis = new ApisService(store, new FunctionReferences(bus as unknown as Bus), reconciler, config);
  });

  afterAll(async () => {
    client?.close();
    await kong?.stop();
  });

  afterEach(() => {
    expect(kong.rejected).toEqual([]);
    expect(kong.ownProblems).toEqual([]);
  });

  const create = (org: string, body: Record<string, unknown>) => apis.create(org, apiCreateBody.parse({ function: 'hello', ...body }));
  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'none',
      (err: DispatchError) => err.code,
    );
  const names = (table: string) => [...kong.store.get(table)!.values()].map((e) => e.name ?? e.instance_name).sort();

  it('serves the same path for two orgs under their own prefixes, and refuses it across orgs on one host', async () => {
    await create('acme', { name: 'a', paths: ['/hello'] });
    await create('globex', { name: 'a', paths: ['/hello'] });
    await create('acme', { name: 'h', paths: ['/p'], hosts: ['shop.example.com'] });
    expect(await code(create('globex', { name: 'h', paths: ['/p/'], hosts: ['shop.example.com'] }))).toBe('ROUTE_CONFLICT');
    expect(await code(create('globex', { name: 'x', function: 'none', paths: ['/x'] }))).toBe('NOT_FOUND');
    expect((await apis.list('globex', { limit: 10 })).items.map((a) => a.name)).toEqual(['a']);

    await reconciler.passes();
    expect(names('routes')).toEqual(['acme.a', 'acme.h', 'globex.a']);
    expect(kong.store.get('routes')!.size).toBe(3);
    for (const [org, name] of [
      ['acme', 'a'],
      ['globex', 'a'],
      ['acme', 'h'],
    ])
      expect((await apis.get(org, name)).status).toBe('READY');
  });

  it('pages through lists by name', async () => {
    await create('acme', { name: 'b', paths: ['/b'] });
    const first = await apis.list('acme', { limit: 2 });
    expect(first.items.map((a) => a.name)).toEqual(['a', 'b']);
    expect(first.nextPageToken).toBeDefined();
  });

  it('marks an API ERROR with what Kong refused, and READY once Kong takes it', async () => {
    await create('acme', { name: 'refused', paths: ['/refused'] });
    kong.failNext({
      path: /\/services\/acme\.refused$/,
      status: 400,
      body: JSON.stringify({
        code: 2,
        name: 'schema violation',
        message: 'schema violation (host: invalid value)',
        fields: { host: 'invalid value' },
      }),
    });
    await reconciler.passes();
    const refused = await apis.get('acme', 'refused');
    expect(refused.status).toBe('ERROR');
    expect(refused.reason.join()).toMatch(/the gateway refused the API: .*host/);
    expect((await apis.get('acme', 'b')).status).toBe('READY');
    await reconciler.passes();
    expect(await apis.get('acme', 'refused')).toMatchObject({ status: 'READY', reason: [] });
  });

  it('writes nothing when Kong already holds the wanted state, and only what drifted otherwise', async () => {
    await reconciler.passes();
    const before = kong.requests.length;
    await reconciler.passes();
    const writes = kong.requests.slice(before).filter((r) => r.method !== 'GET');
    expect(writes).toEqual([]);

    const route = [...kong.store.get('routes')!.values()].find((r) => r.name === 'acme.a')!;
    route.paths = ['/hijacked'];
    const mark = kong.requests.length;
    await reconciler.passes();
    expect(
      kong.requests
        .slice(mark)
        .filter((r) => r.method !== 'GET')
        .map((r) => `${r.method} ${r.path}`),
    ).toEqual(['PUT /services/acme.a/routes/acme.a']);
    expect([...kong.store.get('routes')!.values()].find((r) => r.name === 'acme.a')!.paths).toEqual(['/acme/hello']);
  });

  it("writes a changed API whole, so what its new spec leaves out goes back to Kong's default", async () => {
    const { spec } = apiCreateBody.parse({ name: 'h', function: 'hello', paths: ['/p'], cors: { origins: ['*'], maxAgeSeconds: 60 } });
    await apis.update('acme', 'h', { spec, tags: [] });
    await reconciler.passes();
    const route = () => [...kong.store.get('routes')!.values()].find((r) => r.name === 'acme.h')!;
    const cors = () => [...kong.store.get('plugins')!.values()].find((p) => p.instance_name === 'acme.h.cors')!;
    expect(route().hosts).toBeUndefined();
    expect(route().paths).toEqual(['/acme/p']);
    expect((cors().config as { max_age?: number }).max_age).toBe(60);

    await apis.update('acme', 'h', { spec: { ...spec, cors: { ...spec.cors!, maxAgeSeconds: undefined } }, tags: [] });
    expect((await apis.get('acme', 'h')).status).toBe('UPDATING');
    await reconciler.passes();
    expect((await apis.get('acme', 'h')).status).toBe('READY');
    expect((cors().config as { max_age?: number }).max_age).toBeUndefined();
  });

  it('deletes what no API wants: entities of a deleted API, and stray ones tagged dispatch', async () => {
    await client.upsertService('stray', {
      protocol: 'http',
      host: 'x',
      port: 80,
      enabled: true,
      retries: 0,
      connect_timeout: 1,
      read_timeout: 1,
      write_timeout: 1,
      tags: ['dispatch'],
    });
    await client.upsertService('not-ours', {
      protocol: 'http',
      host: 'x',
      port: 80,
      enabled: true,
      retries: 0,
      connect_timeout: 1,
      read_timeout: 1,
      write_timeout: 1,
      tags: ['other'],
    });
    await apis.delete('globex', 'a');
    expect((await apis.get('globex', 'a')).status).toBe('DELETING');
    await reconciler.passes();
    expect(await code(apis.get('globex', 'a'))).toBe('NOT_FOUND');
    expect(names('services')).toEqual(['acme.a', 'acme.b', 'acme.h', 'acme.refused', 'not-ours']);
  });

  it('keeps statuses when Kong cannot be reached', async () => {
    await create('acme', { name: 'c', paths: ['/c'] });
    kong.failNext({ status: 503, body: '{"message":"unavailable"}' });
    await expect(reconciler.passes()).resolves.toBeUndefined();
    expect((await apis.get('acme', 'c')).status).toBe('CREATING');
    await reconciler.passes();
    expect((await apis.get('acme', 'c')).status).toBe('READY');
  });
});
