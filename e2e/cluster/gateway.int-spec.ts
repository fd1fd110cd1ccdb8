import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { startGateway, type Gateway } from '@dispatch/gateway-local';
import {
  deleteNamespaceStreams,
  freePort,
  sourceArchive,
  startProcess,
  startTestIdp,
  type Started,
  TEST_NATS_URL,
  testNamespace,
  type TestIdp,
  waitFor,
} from '@dispatch/testing';
import { type ClusterBacking, DIST, startClusterBacking } from '../support/cluster-backing';

/**
 * Kong-fronted invocation in the cluster layout: identity-manager, function-manager and
 * api-manager each their own process on PostgreSQL and NATS, api-manager driving a gateway's Admin
 * API over HTTP (gateway-local stands in for Kong, which cannot run here), and the gateway calling
 * function-manager's invoke route over the network with the shared secret.
 */
describe('cluster layout: an idp-token API through the gateway', () => {
  let backing: ClusterBacking;
  let idp: TestIdp;
  let gateway: Gateway;
  const url: Record<string, string> = {};
  const running: Started[] = [];
  const namespace = testNamespace('gateway');

  const send = (service: string, method: string, path: string, token: string, body?: unknown) =>
    fetch(`${url[service]}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const statusOf = async (service: string, path: string, token: string) =>
    ((await (await send(service, 'GET', path, token)).json()) as { status: string; reason: string[] }).status;

  beforeAll(async () => {
    backing = await startClusterBacking('gateway');
    idp = await startTestIdp();
    gateway = await startGateway({ proxyPort: 0, adminPort: 0 });
    const secret = randomBytes(24).toString('base64url');
    const env = {
      HOST: '127.0.0.1',
      DATABASE_URL: backing.db.url,
      NATS_URL: TEST_NATS_URL,
      NATS_NAMESPACE: namespace,
      DISPATCH_SECRET_KEY: randomBytes(32).toString('base64'),
      DISPATCH_TRUSTED_ISSUERS: JSON.stringify([idp.trustedIssuer()]),
      DISPATCH_ADMINS: 'user:root',
      GATEWAY_SHARED_SECRET: secret,
      LOG_LEVEL: 'warn',
    };
    for (const name of ['identity-manager', 'function-manager', 'api-manager']) url[name] = `http://127.0.0.1:${await freePort()}`;
    const own: Record<string, Record<string, string>> = {
      'identity-manager': {},
      'function-manager': { ...backing.openFaasEnv, FUNCTION_IMAGES_DIR: backing.imagesRoot },
      'api-manager': { KONG_ADMIN_URL: gateway.admin.url, FUNCTION_MANAGER_URL: url['function-manager'], API_RESYNC_MS: '500' },
    };
    for (const name of Object.keys(own)) {
      running.push(
        await startProcess(
          [resolve(DIST, `apps/${name}/src/main.js`)],
          { ...env, ...own[name], PORT: new URL(url[name]).port },
          `${url[name]}/readyz`,
          60_000,
        ),
      );
    }
  }, 120_000);

  afterAll(async () => {
    for (const p of running.reverse()) await p.stop('SIGTERM', 15_000);
    await gateway?.close();
    await backing?.stop();
    await deleteNamespaceStreams(TEST_NATS_URL, namespace);
    await idp?.stop();
  });

  it('answers 401 without a token, 403 for a token of another org and 200 for its own, the function seeing who called', async () => {
    const root = await idp.issueToken({ subject: 'root', org: 'default' });
    const created = await send('function-manager', 'POST', '/v1/function', root, {
      name: 'whoami',
      runtime: 'nodejs',
      handler: 'index.js',
      source: await sourceArchive({ 'index.js': 'module.exports = (context) => ({ subject: context.httpContext.subject });' }),
    });
    expect(created.status).toBe(201);
    await waitFor(async () => (await statusOf('function-manager', '/v1/function/whoami', root)) === 'READY', {
      timeoutMs: 60_000,
      what: 'whoami to be READY',
    });
    const api = await send('api-manager', 'POST', '/v1/api', root, {
      name: 'private',
      function: 'whoami',
      paths: ['/private'],
      authentication: 'idp-token',
    });
    expect(api.status).toBe(201);
    await waitFor(async () => (await statusOf('api-manager', '/v1/api/private', root)) === 'READY', {
      timeoutMs: 15_000,
      what: 'the API to be READY',
    });

    const call = (headers: Record<string, string> = {}) => fetch(`${gateway.proxy.url}/default/private`, { headers });
    const none = await call();
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    const theirs = await idp.issueToken({ subject: 'bob', org: 'beta' });
    const forbidden = await call({ authorization: `Bearer ${theirs}` });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ code: 'FORBIDDEN' });
    const mine = await idp.issueToken({ subject: 'ada', org: 'default' });
    const ok = await call({ authorization: `Bearer ${mine}` });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ subject: 'ada' });
    // function-manager's invoke route is reachable directly in this layout, but not without the gateway's secret.
    expect(
      (await fetch(`${url['function-manager']}/v1/invoke/default/whoami`, { headers: { authorization: `Bearer ${mine}` } })).status,
    ).toBe(401);
  });
});
