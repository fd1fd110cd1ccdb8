import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { SERVICES } from '@dispatch/contracts';
import { type FaasLocal, startFaasLocal } from '@dispatch/faas-local';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  freePort,
  runToExit,
  startProcess,
  TEST_NATS_URL,
  testNamespace,
  type Started,
  type TestDatabase,
} from '@dispatch/testing';

const DIST = resolve(__dirname, '../../dist');
const APPS = SERVICES.map((s) => s.name);

/** The multi-process layout that stands in for a cluster: each service its own process on PostgreSQL and NATS. */
describe('cluster layout: every service app alone on PostgreSQL and NATS', () => {
  let db: TestDatabase;
  const running: Started[] = [];
  // Subjects and streams of their own, so this suite shares nothing on the NATS server.
  const namespace = testNamespace('e2e');
  const secretKey = randomBytes(32).toString('base64');

  // OpenFaaS on Kubernetes cannot run here: faas-local serves the same gateway API in its place.
  let faas: FaasLocal;
  let imagesRoot: string;

  beforeAll(async () => {
    imagesRoot = await mkdtemp(join(tmpdir(), 'dispatch-e2e-images-'));
    faas = await startFaasLocal({ imagesRoot, basicAuth: { user: 'admin', password: 'e2e-gateway-password' } });
    db = await createTestDatabase('dispatch_e2e');
    // The explicit migration step of cluster mode.
    await promisify(execFile)(process.execPath, [resolve(DIST, 'tools/migrations/run.js')], {
      env: { ...process.env, DATABASE_URL: db.url },
    });
  }, 60_000);

  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await db.drop();
    await deleteNamespaceStreams(TEST_NATS_URL, namespace);
    await faas?.stop();
    await rm(imagesRoot, { recursive: true, force: true });
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
            DATABASE_URL: db.url,
            NATS_URL: TEST_NATS_URL,
            NATS_NAMESPACE: namespace,
            DISPATCH_SECRET_KEY: secretKey,
            OPENFAAS_URL: faas.url,
            OPENFAAS_USER: 'admin',
            OPENFAAS_PASSWORD: 'e2e-gateway-password',
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

  it('refuses to start function-manager without the OpenFaaS gateway it runs functions on', async () => {
    const { code, stderr } = await runToExit([resolve(DIST, 'apps/function-manager/src/main.js')], {
      PATH: process.env['PATH'],
      DATABASE_URL: db.url,
      NATS_URL: TEST_NATS_URL,
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/OPENFAAS_URL: required in cluster mode/);
  });

  it('refuses to start identity-manager without a shared DISPATCH_SECRET_KEY', async () => {
    const { code, stderr } = await runToExit([resolve(DIST, 'apps/identity-manager/src/main.js')], {
      PATH: process.env['PATH'],
      DATABASE_URL: db.url,
      NATS_URL: TEST_NATS_URL,
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/DISPATCH_SECRET_KEY: required in cluster mode/);
  });
});
