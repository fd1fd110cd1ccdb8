import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import {
  deleteNamespaceStreams,
  freePort,
  startProcess,
  startTcpCutter,
  startTestIdp,
  type Started,
  type TcpCutter,
  TEST_NATS_URL,
  testNamespace,
  type TestIdp,
  waitFor,
} from '@dispatch/testing';
import { type ClusterBacking, DIST, startClusterBacking } from '../support/cluster-backing';

/**
 * Cluster mode when the external PostgreSQL goes away and comes back: identity-manager and
 * function-manager, each its own process, reach the database through a relay this suite cuts.
 */
describe('cluster mode: an external PostgreSQL that goes away and comes back', () => {
  let backing: ClusterBacking;
  let cutter: TcpCutter;
  let idp: TestIdp;
  let functions: string;
  let token: string;
  const running: Started[] = [];
  const namespace = testNamespace('faults');

  beforeAll(async () => {
    backing = await startClusterBacking('faults');
    const url = new URL(backing.db.url);
    cutter = await startTcpCutter({ host: url.hostname, port: Number(url.port || 5432) });
    url.port = String(cutter.port);
    idp = await startTestIdp();
    const env = {
      HOST: '127.0.0.1',
      DATABASE_URL: url.toString(),
      NATS_URL: TEST_NATS_URL,
      NATS_NAMESPACE: namespace,
      DISPATCH_SECRET_KEY: randomBytes(32).toString('base64'),
      DISPATCH_TRUSTED_ISSUERS: JSON.stringify([idp.trustedIssuer()]),
      DISPATCH_ADMINS: 'user:root',
      ...backing.openFaasEnv,
      LOG_LEVEL: 'warn',
    };
    for (const name of ['identity-manager', 'function-manager']) {
      const port = await freePort();
      running.push(
        await startProcess(
          [resolve(DIST, `apps/${name}/src/main.js`)],
          { ...env, PORT: String(port) },
          `http://127.0.0.1:${port}/readyz`,
          60_000,
        ),
      );
      if (name === 'function-manager') functions = `http://127.0.0.1:${port}`;
    }
    token = await idp.issueToken({ subject: 'root', org: 'default' });
  }, 90_000);

  afterAll(async () => {
    for (const p of running) await p.stop('SIGTERM', 15_000);
    await cutter?.close();
    await backing?.stop();
    await deleteNamespaceStreams(TEST_NATS_URL, namespace);
    await idp?.stop();
  });

  const listFunctions = () => fetch(`${functions}/v1/function`, { headers: { authorization: `Bearer ${token}` } });

  it('answers 503 STORE_UNAVAILABLE with Retry-After while the database is away, and recovers by itself when it is back', async () => {
    await waitFor(async () => (await listFunctions()).status === 200, { timeoutMs: 30_000, what: 'the function list to answer' });

    await cutter.cut();
    let outage: Response | undefined;
    await waitFor(async () => (outage = await listFunctions()).status === 503, { timeoutMs: 30_000, what: 'the list to answer 503' });
    expect(outage!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await outage!.json()).toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: expect.stringContaining('retry'),
      requestId: expect.any(String),
    });
    await waitFor(async () => (await fetch(`${functions}/readyz`)).status === 503, { timeoutMs: 30_000, what: '/readyz to answer 503' });
    // Three seconds away: every service stays up, answering.
    await new Promise((r) => setTimeout(r, 3000));
    expect(running.map((p) => p.child.exitCode)).toEqual([null, null]);
    expect((await listFunctions()).status).toBe(503);

    await cutter.restore();
    const t0 = Date.now();
    await waitFor(async () => (await fetch(`${functions}/readyz`)).status === 200 && (await listFunctions()).status === 200, {
      timeoutMs: 30_000,
      what: 'recovery',
    });
    console.log(`cluster mode: function-manager answered again ${Date.now() - t0} ms after its PostgreSQL came back`);
  });
});
