import { execFile, execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { useTempDir } from '@dispatch/testing/temp-dir';
import { startGateway, type Gateway } from '../gateway';
import type { AdminExchange } from './admin-server';
import { startEchoUpstream, type EchoUpstream } from '../test-support/echo-upstream';

/**
 * Kong's own declarative tool against the embedded gateway's Admin API: decK (Debian's `deck`
 * package, 1.4, whose commands are `deck ping|dump|sync|diff`) syncs a kong.yml into it, dumps it
 * back the same, finds nothing left to do, and the proxy serves what was synced.
 */
function deckBinary(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v deck'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      "decK is not installed: these tests run Kong's declarative tool for real. Install it with `apt-get install -y deck` (CI's .ci/run does)",
    );
  }
}

const dir = useTempDir('gateway-deck-', 'suite');
const NO_CHANGES = /Created: 0\s+Updated: 0\s+Deleted: 0/;
let deck: string;
const exchanges: AdminExchange[] = [];
let gateway: Gateway;
let upstream: EchoUpstream;

// decK 1.4 reports each command over the network unless told not to: nothing leaves this machine.
function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      deck,
      [...args, '--kong-addr', gateway.admin.url, '--no-color'],
      { timeout: 20_000, env: { ...process.env, DECK_ANALYTICS: 'off' } },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function ok(...args: string[]): Promise<string> {
  const result = await run(...args);
  if (result.code !== 0) throw new Error(`deck ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const kongYml = (port: number) => `_format_version: "1.1"
services:
- name: hello
  url: http://127.0.0.1:${port}/function/hello
  tags: [dispatch, api:hello]
  routes:
  - name: hello-get
    paths: [/acme/hello]
    methods: [GET, OPTIONS]
    tags: [dispatch, api:hello]
    plugins:
    - name: key-auth
      config:
        key_names: [apikey]
      tags: [dispatch]
    - name: request-transformer
      config:
        remove:
          headers: [x-dispatch-auth]
        add:
          headers: ["x-dispatch-auth:idp-token"]
      tags: [dispatch]
  plugins:
  - name: rate-limiting
    config:
      minute: 100
      policy: local
    tags: [dispatch]
plugins:
- name: cors
  config:
    origins: ['*']
  tags: [dispatch]
consumers:
- username: alice
  custom_id: alice-1
  tags: [dispatch, org:acme]
  keyauth_credentials:
  - key: alice-secret-key
  acls:
  - group: readers
`;

beforeAll(async () => {
  deck = deckBinary();
  upstream = await startEchoUpstream();
  gateway = await startGateway({ adminPort: 0, proxyPort: 0, onAdminExchange: (e) => exchanges.push(e) });
  await writeFile(join(dir.path, 'kong.yml'), kongYml(upstream.port));
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

describe('decK against the embedded gateway', () => {
  it('pings the Admin API', async () => {
    expect(await ok('ping')).toMatch(/Successfully connected to Kong!/);
  });

  it('syncs a kong.yml, which the proxy then serves', async () => {
    const out = await ok('sync', '--state', join(dir.path, 'kong.yml'));
    expect(out).toMatch(/Created: \d+/);
    const state = gateway.store.state();
    expect(state.services.map((s) => s.name)).toEqual(['hello']);
    expect(state.plugins.map((p) => p.name).sort()).toEqual(['cors', 'key-auth', 'rate-limiting', 'request-transformer']);
    expect(state.keyauth_credentials.map((k) => k.key)).toEqual(['alice-secret-key']);

    const denied = await fetch(`${gateway.proxy.url}/acme/hello`);
    expect(denied.status).toBe(401);
    const served = await fetch(`${gateway.proxy.url}/acme/hello/there`, {
      headers: { apikey: 'alice-secret-key', origin: 'http://app.example', 'x-dispatch-auth': 'spoofed' },
    });
    expect(served.status).toBe(200);
    // decK 1.4 sends strip_path false for a route that leaves it unset (its own default, not Kong's).
    expect(await served.json()).toMatchObject({
      url: '/function/hello/acme/hello/there',
      headers: { 'x-consumer-username': 'alice', 'x-dispatch-auth': 'idp-token' },
    });
    expect(served.headers.get('access-control-allow-origin')).toBe('*');
    expect(served.headers.get('x-ratelimit-limit-minute')).toBe('100');
  });

  it('dumps what was synced, and diff finds nothing to change', async () => {
    const output = join(dir.path, 'dump');
    await ok('dump', '--output-file', output);
    const dumped = parse(await readFile(`${output}.yaml`, 'utf8'));
    const wanted = parse(kongYml(upstream.port));
    expect(dumped.services).toHaveLength(1);
    expect(dumped.services[0]).toMatchObject({
      name: 'hello',
      host: '127.0.0.1',
      port: upstream.port,
      path: '/function/hello',
      protocol: 'http',
    });
    expect(dumped.services[0].routes[0]).toMatchObject({ name: 'hello-get', paths: ['/acme/hello'], methods: ['GET', 'OPTIONS'] });
    const routePlugins = [...dumped.services[0].routes[0].plugins].sort((a: { name: string }, b: { name: string }) =>
      a.name.localeCompare(b.name),
    );
    expect(routePlugins).toEqual([
      expect.objectContaining({ name: 'key-auth', config: expect.objectContaining({ key_names: ['apikey'] }) }),
      expect.objectContaining({
        name: 'request-transformer',
        config: expect.objectContaining({ remove: { body: [], headers: ['x-dispatch-auth'], querystring: [] } }),
      }),
    ]);
    expect(dumped.services[0].plugins[0]).toMatchObject({ name: 'rate-limiting', config: { minute: 100, policy: 'local' } });
    expect(dumped.plugins[0]).toMatchObject({ name: 'cors', config: { origins: ['*'] } });
    expect(dumped.consumers[0]).toMatchObject({
      username: 'alice',
      custom_id: 'alice-1',
      tags: wanted.consumers[0].tags,
      keyauth_credentials: [{ key: 'alice-secret-key' }],
      acls: [{ group: 'readers' }],
    });

    // decK 1.4 fills in only a few of Kong's defaults (none of a plugin's config): against Kong too, the
    // file that round-trips is the dump, which carries every field.
    expect(await ok('diff', '--state', `${output}.yaml`)).toMatch(NO_CHANGES);
    expect(await ok('sync', '--state', `${output}.yaml`)).toMatch(NO_CHANGES);
  });

  it('syncs a change: an updated route, a removed consumer', async () => {
    const changed = parse(await readFile(join(dir.path, 'dump.yaml'), 'utf8'));
    changed.services[0].routes[0].paths = ['/acme/hi'];
    delete changed.consumers;
    await writeFile(join(dir.path, 'changed.yml'), stringify(changed));
    const out = await ok('sync', '--state', join(dir.path, 'changed.yml'));
    expect(out).toMatch(/Created: 0\s+Updated: 1\s+Deleted: 3/);
    expect(gateway.store.state().consumers).toEqual([]);
    expect(gateway.store.state().keyauth_credentials).toEqual([]);
    expect((await fetch(`${gateway.proxy.url}/acme/hello`)).status).toBe(404);
    expect((await fetch(`${gateway.proxy.url}/acme/hi`)).status).toBe(401);
    expect(await ok('diff', '--state', join(dir.path, 'changed.yml'))).toMatch(NO_CHANGES);
  });

  it('reports a plugin config Kong would refuse, changing nothing', async () => {
    const bad = kongYml(upstream.port).replace('minute: 100', 'minute: -1');
    await writeFile(join(dir.path, 'bad.yml'), bad);
    const before = gateway.store.state();
    const result = await run('sync', '--state', join(dir.path, 'bad.yml'));
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/schema violation/);
    expect(gateway.store.state().plugins.find((p) => p.name === 'rate-limiting')?.config).toMatchObject(
      before.plugins.find((p) => p.name === 'rate-limiting')!.config!,
    );
  });

  it('resets everything it synced', async () => {
    await ok('reset', '--force');
    expect(gateway.store.state()).toEqual({ services: [], routes: [], plugins: [], consumers: [], keyauth_credentials: [], acls: [] });
    expect((await fetch(`${gateway.proxy.url}/acme/hi`)).status).toBe(404);
  });

  it('found every endpoint it asked for: each kind it dumps, each write it made', () => {
    const asked = new Set(exchanges.map((e) => `${e.method} ${e.path.replace(/[0-9a-f-]{36}/g, '{id}')}`));
    expect([...asked]).toEqual(
      expect.arrayContaining(['GET /', 'GET /upstreams', 'GET /key-auths', 'PUT /services/{id}', 'PUT /consumers/{id}/key-auth/{id}']),
    );
    const unserved = exchanges.filter((e) => e.status >= 404 || (e.status === 400 && !e.path.startsWith('/plugins/')));
    expect(unserved.map((e) => `${e.method} ${e.path} → ${e.status}`)).toEqual([]);
  });
});
