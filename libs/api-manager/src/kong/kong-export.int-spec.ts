import { execFile, execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Bus } from '@dispatch/bus';
import { startGateway, type Gateway } from '@dispatch/gateway-local';
import { describeProblems, kongDeclarativeProblems } from '@dispatch/kong-client/contract-checks';
import { createLogger } from '@dispatch/platform';
import { useTempDir } from '@dispatch/testing/temp-dir';
import { apiConfigSchema } from '../api-config';
import { apiCreateBody } from '../api/api.dto';
import { ApisService } from '../api/api.service';
import { FunctionReferences } from '../api/function-references';
import { ApiStore } from '../persistence/api-store';
import { GatewayReconciler } from '../reconcile/gateway-reconciler';
import { useApisDatabase } from '../test-support/apis-database';

const log = createLogger({ level: 'silent', name: 'kong-export-test' });
const NO_CHANGES = /Created: 0\s+Updated: 0\s+Deleted: 0/;
const REAL_SECRET = 'the-platforms-real-secret-0123';
const DECK_SECRET = 'secret-in-the-deck-environment-42';

interface Echoed {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/**
 * The export of an org's APIs, read from real PostgreSQL, given to Kong's own declarative tool:
 * decK 1.4 syncs it into a fresh embedded gateway, finds nothing left to change on a diff, and the
 * proxy serves the API's paths to function-manager's invoke route (an echo stands in for it).
 */
describe("an org's APIs exported as a Kong declarative config, synced by decK", () => {
  const db = useApisDatabase({ log });
  const dir = useTempDir('kong-export-', 'suite');
  let apis: ApisService;
  let gateway: Gateway;
  let upstream: http.Server;
  let upstreamPort: number;

  const deck = (...args: string[]) =>
    new Promise<{ code: number; out: string }>((resolve) => {
      execFile(
        'deck',
        [...args, '--kong-addr', gateway.admin.url, '--no-color'],
        { timeout: 20_000, env: { ...process.env, DECK_ANALYTICS: 'off', DECK_GATEWAY_SHARED_SECRET: DECK_SECRET } },
        (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
      );
    });
  const ok = async (...args: string[]) => {
    const { code, out } = await deck(...args);
    if (code !== 0) throw new Error(`deck ${args.join(' ')} exited ${code}:\n${out}`);
    return out;
  };

  beforeAll(async () => {
    try {
      execFileSync('sh', ['-c', 'command -v deck']);
    } catch {
      throw new Error("decK is not installed: this suite runs Kong's declarative tool for real (`apt-get install -y deck`)");
    }
    upstream = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamPort = (upstream.address() as AddressInfo).port;
    const config = apiConfigSchema.parse({
      FUNCTION_MANAGER_URL: `http://127.0.0.1:${upstreamPort}`,
      API_UPSTREAM_TIMEOUT_MS: '20000',
      GATEWAY_SHARED_SECRET: REAL_SECRET,
    });
    const store = new ApiStore(db.ds);
    const bus = { request: async () => ({ exists: true }) };
    apis = new ApisService(store, new FunctionReferences(bus as unknown as Bus), new GatewayReconciler(null, config, store, log), config);
    const create = (org: string, body: unknown) => apis.create(org, apiCreateBody.parse(body));
    await create('acme', { name: 'greet', function: 'hello', uris: ['/greet'], methods: ['GET', 'POST'] });
    await create('acme', {
      name: 'shop',
      function: 'cart',
      paths: ['/cart', '/basket'],
      methods: ['POST'],
      authentication: 'api-key',
      cors: { origins: ['https://app.example.com'], maxAgeSeconds: 60 },
      rateLimit: { minute: 100, hour: 1000 },
      requestSizeLimit: 2048,
    });
    await create('acme', { name: 'hosted', function: 'hello', paths: ['/'], hosts: ['api.example.com'], protocols: ['http'] });
    await create('acme', { name: 'paused', function: 'hello', paths: ['/paused'], enabled: false });
    await create('globex', { name: 'greet', function: 'hello', paths: ['/greet'] });
    gateway = await startGateway({ adminPort: 0, proxyPort: 0 });
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    upstream?.closeAllConnections();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  it("holds the org's enabled APIs only, valid against decK's file schema, without the platform's secret", async () => {
    const config = await apis.exportConfig('acme');
    expect(config.services.map((s) => s.name)).toEqual(['acme.greet', 'acme.hosted', 'acme.shop']);
    expect(describeProblems(kongDeclarativeProblems(config))).toEqual([]);
    expect(JSON.stringify(config)).not.toContain(REAL_SECRET);
    expect((await apis.exportConfig('globex')).services.map((s) => s.name)).toEqual(['globex.greet']);
    expect(await apis.exportConfig('initech')).toEqual({
      _format_version: '3.0',
      _info: { select_tags: ['dispatch', 'org:initech'] },
      services: [],
    });
  });

  it('is synced by decK into a fresh gateway, after which decK finds nothing to change', async () => {
    const file = join(dir.path, 'kong.yml');
    await writeFile(file, stringify(await apis.exportConfig('acme')));
    expect(await ok('sync', '--state', file)).toMatch(/Created: 12\s+Updated: 0\s+Deleted: 0/);
    const state = gateway.store.state();
    expect(state.services.map((s) => s.name).sort()).toEqual(['acme.greet', 'acme.hosted', 'acme.shop']);
    expect(state.routes.map((r) => r.name).sort()).toEqual(['acme.greet', 'acme.hosted', 'acme.shop']);
    for (const entity of [...state.services, ...state.routes, ...state.plugins])
      expect((entity as { tags?: string[] }).tags?.slice(0, 2)).toEqual(['dispatch', 'org:acme']);
    expect(await ok('diff', '--state', file)).toMatch(NO_CHANGES);
    expect(await ok('sync', '--state', file)).toMatch(NO_CHANGES);
  });

  it("syncs one org's file without touching another org's entities: the file selects its org's tags", async () => {
    const acme = join(dir.path, 'kong.yml');
    const globex = join(dir.path, 'globex.yml');
    await writeFile(globex, stringify(await apis.exportConfig('globex')));
    expect(await ok('sync', '--state', globex)).toMatch(/Created: \d+\s+Updated: 0\s+Deleted: 0/);
    expect(
      gateway.store
        .state()
        .services.map((s) => s.name)
        .sort(),
    ).toEqual(['acme.greet', 'acme.hosted', 'acme.shop', 'globex.greet']);
    expect(await ok('diff', '--state', acme)).toMatch(NO_CHANGES);
    expect(await ok('diff', '--state', globex)).toMatch(NO_CHANGES);
    // An org with no APIs left: its file deletes its own entities, and only those.
    await writeFile(globex, stringify(await apis.exportConfig('initech')).replace('org:initech', 'org:globex'));
    expect(await ok('sync', '--state', globex)).toMatch(/Created: 0\s+Updated: 0\s+Deleted: [1-9]/);
    expect(
      gateway.store
        .state()
        .services.map((s) => s.name)
        .sort(),
    ).toEqual(['acme.greet', 'acme.hosted', 'acme.shop']);
    expect(await ok('diff', '--state', acme)).toMatch(NO_CHANGES);
  });

  it("leaves decK's env placeholder as it is: decK 1.4 substitutes nothing, so the secret must be put in before a sync", () => {
    const transformers = gateway.store.state().plugins.filter((p) => p.name === 'request-transformer');
    expect(transformers).toHaveLength(3);
    for (const t of transformers) {
      const headers = (t.config as { add: { headers: string[] } }).add.headers;
      expect(headers).toContain('x-dispatch-gateway-secret:${{ env "DECK_GATEWAY_SHARED_SECRET" }}');
      expect(JSON.stringify(headers)).not.toContain(DECK_SECRET);
    }
  });

  it("serves the APIs' paths: each to the invoke route of its function, with the gateway's headers", async () => {
    const call = async (path: string, init?: RequestInit) => {
      const res = await fetch(`${gateway.proxy.url}${path}`, init);
      return { status: res.status, body: (await res.json()) as Echoed & { message?: string } };
    };
    const greet = await call('/acme/greet/there?x=1', { headers: { 'x-dispatch-auth': 'forged' } });
    expect(greet.status).toBe(200);
    expect(greet.body).toMatchObject({ method: 'GET', url: '/v1/invoke/acme/hello/there?x=1' });
    expect(greet.body.headers).toMatchObject({ 'x-dispatch-auth': 'public', 'x-dispatch-api': 'greet' });
    const shop = await call('/acme/basket', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(shop.body).toMatchObject({ url: '/v1/invoke/acme/cart', headers: { 'x-dispatch-auth': 'api-key', 'x-dispatch-api': 'shop' } });
    expect((await call('/acme/basket', { method: 'POST', body: 'x'.repeat(4096) })).status).toBe(413);
    // fetch sets Host itself: the host route is called with node's client.
    const hosted = await new Promise<string>((resolve, reject) =>
      http
        .get(`${gateway.proxy.url}/anything`, { headers: { host: 'api.example.com' } }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += String(chunk)));
          res.on('end', () => resolve(text));
        })
        .on('error', reject),
    );
    expect(JSON.parse(hosted)).toMatchObject({ url: '/v1/invoke/acme/hello/anything' });
    // Not exported: a disabled API, another org's, and a method the API does not serve.
    expect((await call('/acme/paused')).status).toBe(404);
    expect((await call('/globex/greet')).status).toBe(404);
    expect((await call('/acme/shop', { method: 'GET' })).status).toBe(404);
  });

  it("takes the secret from the README's sed line, which the next sync puts in every request-transformer", async () => {
    const real = join(dir.path, 'kong.real.yml');
    // libs/api-manager/README.md, word for word.
    execFileSync('sh', ['-c', `sed "s|\\\${{ env \\"DECK_GATEWAY_SHARED_SECRET\\" }}|$GATEWAY_SHARED_SECRET|" kong.yml > kong.real.yml`], {
      cwd: dir.path,
      env: { ...process.env, GATEWAY_SHARED_SECRET: DECK_SECRET },
    });
    expect(await ok('sync', '--state', real)).toMatch(/Created: 0\s+Updated: 3\s+Deleted: 0/);
    for (const t of gateway.store.state().plugins.filter((p) => p.name === 'request-transformer'))
      expect((t.config as { add: { headers: string[] } }).add.headers).toContain(`x-dispatch-gateway-secret:${DECK_SECRET}`);
    const res = await fetch(`${gateway.proxy.url}/acme/greet`);
    expect(((await res.json()) as Echoed).headers['x-dispatch-gateway-secret']).toBe(DECK_SECRET);
    expect(await ok('diff', '--state', real)).toMatch(NO_CHANGES);
  });
});
