import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { SERVICES } from '@dispatch/contracts';
import { deleteNamespaceStreams, freePort, runToExit, startProcess, TEST_NATS_URL, testNamespace, type Started } from '@dispatch/testing';
import { type ClusterBacking, DIST, startClusterBacking } from '../support/cluster-backing';
const APPS = SERVICES.map((s) => s.name);

/** The multi-process layout that stands in for a cluster: each service its own process on PostgreSQL and NATS. */
describe('cluster layout: every service app alone on PostgreSQL and NATS', () => {
  const running: Started[] = [];
  // Subjects and streams of their own, so this suite shares nothing on the NATS server.
  const namespace = testNamespace('e2e');
  const secretKey = randomBytes(32).toString('base64');

  let backing: ClusterBacking;

  beforeAll(async () => {
    backing = await startClusterBacking('e2e');
  }, 60_000);

  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await backing?.stop();
    await deleteNamespaceStreams(TEST_NATS_URL, namespace);
  });

  it('starts each service, ready with its store and the bus, and stops it on SIGTERM', async () => {
    const started = await Promise.all(
      APPS.map(async (name) => {
        const port = await freePort();
        const proc = await startProcess(
          [resolve(DIST, `apps/${name}/src/main.js`)],
          {
            PORT: String(port),
            HOST: '127.0.0.1',
            DATABASE_URL: backing.db.url,
            NATS_URL: TEST_NATS_URL,
            NATS_NAMESPACE: namespace,
            DISPATCH_SECRET_KEY: secretKey,
            ...backing.openFaasEnv,
            LOG_LEVEL: 'warn',
          },
          `http://127.0.0.1:${port}/readyz`,
          60_000,
        );
        running.push(proc);
        return { name, port, proc };
      }),
    );
    for (const { port } of started) {
      const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { checks: Record<string, string> };
      expect(ready.checks['bus']).toBe('ok');
      expect(Object.keys(ready.checks).some((k) => k.startsWith('store:'))).toBe(true);
    }
    for (const { proc } of started) {
      proc.child.kill('SIGTERM');
    }
    const codes = await Promise.all(
      started.map(({ proc }) => new Promise((r) => (proc.child.exitCode !== null ? r(proc.child.exitCode) : proc.child.once('exit', r)))),
    );
    expect(codes).toEqual(APPS.map(() => 0));
  }, 90_000);

  it('refuses to start a service without DATABASE_URL and NATS_URL', async () => {
    const { code, stderr } = await runToExit([resolve(DIST, 'apps/identity-manager/src/main.js')], { PATH: process.env['PATH'] });
    expect(code).toBe(1);
    expect(stderr).toMatch(/DATABASE_URL/);
    expect(stderr).toMatch(/NATS_URL/);
  });

  it.each([
    ['function-manager', 'the OpenFaaS gateway it runs functions on', /OPENFAAS_URL: required in cluster mode/],
    ['identity-manager', 'a shared DISPATCH_SECRET_KEY', /DISPATCH_SECRET_KEY: required in cluster mode/],
  ])('refuses to start %s without %s', async (app, _without, reason) => {
    const { code, stderr } = await runToExit([resolve(DIST, `apps/${app}/src/main.js`)], {
      PATH: process.env['PATH'],
      DATABASE_URL: backing.db.url,
      NATS_URL: TEST_NATS_URL,
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(reason);
  });
});
