import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KongAdminClient } from '@dispatch/kong-client';
import { kongDeclarativeProblems } from '@dispatch/kong-client/contract-checks';
import { parse as parseYaml } from 'yaml';
import { createNodeFunction, startSoloServer, startTestIdp, type SoloServer, type TestIdp, waitFor } from '@dispatch/testing';
import { cli, CLI } from '../cli/run-cli';

const DISPATCH_HTTP = resolve(__dirname, '../fixtures/functions/dispatch-http');
/** Solo mode makes one at each start; this suite names it, to show it never leaves the platform. */
const SECRET = 'secret-of-the-gateway-suite-0123';

interface Api {
  name: string;
  status: string;
  reason: string[];
}

/**
 * Kong-fronted invocation in solo mode, as a user does it: APIs made with the CLI, called with
 * plain HTTP on the embedded gateway, real functions behind them, tokens of a real OIDC provider
 * and API keys of identity-manager; and the gateway's state repaired when changed behind the platform.
 */
describe('solo mode: functions served through the embedded gateway', () => {
  let solo: SoloServer;
  let idp: TestIdp;
  let dir: string;
  let env: Record<string, string>;
  const run = async (...args: string[]) => {
    const ran = await cli(env, args, undefined, 90_000);
    if (ran.code !== 0) throw new Error(`dispatch ${args.join(' ')} exited ${ran.code}:\n${ran.stderr}`);
    return ran.stdout;
  };
  const call = (path: string, init: RequestInit = {}) => fetch(`${solo.gateway}${path}`, init);
  const untilReady = (name: string) =>
    waitFor(
      async () => {
        const api = JSON.parse(await run('get', 'api', name, '-o', 'json')) as Api;
        if (api.status === 'ERROR') throw new Error(`API ${name} failed: ${api.reason.join('; ')}`);
        return api.status === 'READY';
      },
      { timeoutMs: 20_000, what: `API ${name} to be READY` },
    );

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);
    idp = await startTestIdp();
    solo = await startSoloServer({
      env: { DISPATCH_TRUSTED_ISSUERS: JSON.stringify([idp.trustedIssuer()]), API_RESYNC_MS: '500', GATEWAY_SHARED_SECRET: SECRET },
    });
    dir = await mkdtemp(join(tmpdir(), 'dispatch-gateway-'));
    env = { DISPATCH_CONFIG: join(dir, 'cli', 'config.json'), DISPATCH_HOME: solo.home, HOME: dir };
    await run('login');
    await run('create', 'function', 'httppy', DISPATCH_HTTP, '--runtime', 'python3', '--handler', 'http_func.handle');
    await createNodeFunction(solo, 'whoami', 'module.exports = (context) => ({ subject: context.httpContext.subject ?? null });');
  }, 240_000);

  afterAll(async () => {
    await solo?.process.stop();
    await idp?.stop();
    if (solo) await rm(solo.home, { recursive: true, force: true });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves a public API made with the CLI: a Dispatch http_func.py reads the request from httpContext', async () => {
    await run('create', 'api', 'hello', 'httppy', '-m', 'POST', '-p', '/hello', '--auth', 'public');
    await untilReady('hello');
    const res = await call('/default/hello/sub?x=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'curl/8', 'x-trace': 't1', 'x-dispatch-auth': 'public' },
      body: JSON.stringify({ name: 'VMware' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-dispatch-run-id')).toBeTruthy();
    const echoed = (await res.json()) as { headers: Record<string, string> };
    expect(echoed).toMatchObject({ status: 200, method: 'POST', uri: '/sub', args: 'x=1', agent: 'curl/8', content: { name: 'VMware' } });
    expect(echoed.headers['x-trace']).toBe('t1');
    // The gateway's own headers never reach the function, nor does one a client forged.
    expect(Object.keys(echoed.headers).filter((h) => h.startsWith('x-dispatch'))).toEqual([]);
    // Methods the API does not take, and paths nobody serves, never reach a function.
    expect((await call('/default/hello', { method: 'GET' })).status).toBe(404);
    const unknown = await call('/default/nothing-here');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ message: 'no Route matched with those values' });
  });

  it('answers an idp-token API 401 without a token, 403 for a token of another org and 200 for its own', async () => {
    await run('create', 'api', 'private', 'whoami', '-p', '/private', '--auth', 'idp-token');
    await untilReady('private');
    const none = await call('/default/private');
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    const theirs = await idp.issueToken({ subject: 'bob', org: 'beta', groups: [] });
    const forbidden = await call('/default/private', { headers: { authorization: `Bearer ${theirs}` } });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ code: 'FORBIDDEN' });
    const mine = await idp.issueToken({ subject: 'ada', org: 'default', groups: [] });
    const ok = await call('/default/private', { headers: { authorization: `Bearer ${mine}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ subject: 'ada' });
    // A client cannot claim the API is public, nor pretend to be the gateway.
    for (const forged of [
      { 'x-dispatch-auth': 'public', 'x-dispatch-gateway-secret': 'guess-guess-guess-guess' },
      { 'X-Dispatch-Auth': 'public', 'X-Dispatch-Api': 'keyed' },
      { x_dispatch_auth: 'public', x_dispatch_gateway_secret: SECRET },
    ] as Record<string, string>[]) {
      expect((await call('/default/private', { headers: forged })).status).toBe(401);
    }
  });

  it('answers an api-key API for a fresh key of the org, and no more once the key is revoked', async () => {
    await run('create', 'api', 'keyed', 'whoami', '-p', '/keyed', '--auth', 'api-key');
    await untilReady('keyed');
    const created = JSON.parse(await run('create', 'apikey', 'shop', '--role', 'viewer', '-o', 'json')) as { key: string };
    const ok = await call('/default/keyed', { headers: { apikey: created.key } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ subject: 'shop' });
    expect((await call('/default/keyed')).status).toBe(401);
    await run('delete', 'apikey', 'shop');
    await waitFor(async () => (await call('/default/keyed', { headers: { apikey: created.key } })).status === 401, {
      timeoutMs: 10_000,
      what: 'the revoked key to be refused',
    });
  });

  it('answers a CORS preflight as the API configures it, without running the function', async () => {
    await run('create', 'api', 'browser', 'whoami', '-m', 'GET', '-p', '/browser', '--cors');
    await untilReady('browser');
    const preflight = await call('/default/browser', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');
    expect(preflight.headers.get('x-dispatch-run-id')).toBeNull();
    const simple = await call('/default/browser', { headers: { origin: 'https://app.example.com' } });
    expect(simple.status).toBe(200);
    expect(simple.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('serves a changed path at once, the old one no more, and puts back a route deleted behind its back', async () => {
    // An org's root answers for the org's own paths only, not for those of a longer org name.
    await run('create', 'api', 'home', 'whoami', '-p', '/');
    await untilReady('home');
    expect((await call('/default')).status).toBe(200);
    expect((await call('/default/anything/else')).status).toBe(200);
    expect((await call('/defaults/x')).status).toBe(404);
    await run('delete', 'api', 'home');

    await run('create', 'api', 'moving', 'whoami', '-p', '/before');
    await untilReady('moving');
    expect((await call('/default/before')).status).toBe(200);
    await run('update', 'api', 'moving', 'whoami', '-p', '/after');
    await untilReady('moving');
    expect((await call('/default/after')).status).toBe(200);
    expect((await call('/default/before')).status).toBe(404);

    // Someone deletes the route in the gateway's Admin API (solo mode's is a unix socket in DISPATCH_HOME).
    const admin = new KongAdminClient({ baseUrl: 'http://localhost', socketPath: join(solo.home, 'gateway-admin.sock') });
    try {
      const [before] = await admin.listAll('routes', { tags: ['api:moving'] });
      await admin.deleteRoute('default.moving');
      // Put back by the next pass: a new route of the same name, serving again.
      const after = await waitFor(
        async () => (await admin.listAll('routes', { tags: ['api:moving'] })).find((route) => route.id !== before.id),
        { timeoutMs: 5_000, what: 'the route to be written again' },
      );
      expect(after).toMatchObject({ name: 'default.moving', paths: ['/default/after'] });
      expect((await call('/default/after')).status).toBe(200);
    } finally {
      admin.close();
    }
  });

  it('refuses over the rate limit with 429 and Retry-After, and a body over the limit with 413, before the function', async () => {
    await run('create', 'api', 'limited', 'whoami', '-m', 'POST', '-p', '/limited', '--rate-limit-minute', '2', '--max-body-bytes', '16');
    await untilReady('limited');
    const post = (body: string) => call('/default/limited', { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
    const big = await post('x'.repeat(64));
    expect(big.status).toBe(413);
    expect((await post('a')).status).toBe(200);
    expect((await post('b')).status).toBe(200);
    const over = await post('c');
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await over.json()).toMatchObject({ message: 'API rate limit exceeded' });
  });

  it("exports every API it serves as a kong.yml that validates against Kong's declarative schema, without the gateway secret", async () => {
    const file = parseYaml(await run('get', 'api', '-o', 'kong')) as { _format_version: string; services: { name: string }[] };
    expect(file._format_version).toBe('3.0');
    expect(file.services.map((service) => service.name)).toEqual(
      expect.arrayContaining(['default.hello', 'default.private', 'default.keyed', 'default.browser', 'default.moving']),
    );
    expect(kongDeclarativeProblems(file)).toEqual([]);
    expect(JSON.stringify(file)).toContain('DECK_GATEWAY_SHARED_SECRET');
    expect(JSON.stringify(file)).not.toContain(SECRET);
    // Nor does any answer of the API show it.
    expect(await run('get', 'api', '-o', 'json')).not.toContain(SECRET);
  });
});
