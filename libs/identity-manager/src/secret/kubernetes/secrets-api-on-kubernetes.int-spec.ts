import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeKubeConfig, startFakeKubeApi, type FakeKubeApi } from '@dispatch/testing';
import { startIdentityTestApp, type IdentityTestApp } from '../../test-support/identity-test-app';

const NAMESPACE = 'dispatch-secrets';

/**
 * `/v1/secret` with SECRETS_BACKEND=kubernetes, as cluster mode runs it: the module finds the
 * cluster through KUBECONFIG and the namespace through SECRETS_NAMESPACE, and every write lands
 * as a Secret the fake API server accepted after checking it with kubernetes-models.
 */
describe('identity-manager: secrets kept as Kubernetes Secrets', () => {
  let fake: FakeKubeApi;
  let t: IdentityTestApp;
  let dir: string;
  const saved = {
    kubeconfig: process.env['KUBECONFIG'],
    namespace: process.env['SECRETS_NAMESPACE'],
    key: process.env['DISPATCH_SECRET_KEY'],
  };

  beforeAll(async () => {
    fake = await startFakeKubeApi({ namespaces: [NAMESPACE] });
    dir = await mkdtemp(join(tmpdir(), 'dispatch-kubeconfig-'));
    const kubeconfig = join(dir, 'config');
    await writeFile(kubeconfig, fakeKubeConfig(fake).exportConfig(), { mode: 0o600 });
    process.env['KUBECONFIG'] = kubeconfig;
    process.env['SECRETS_NAMESPACE'] = NAMESPACE;
    // This backend needs no key of Dispatch's own: none is set, and none is generated.
    delete process.env['DISPATCH_SECRET_KEY'];
    t = await startIdentityTestApp({ name: 'secrets-k8s-test', secretsBackend: 'kubernetes' });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await fake?.stop();
    await rm(dir, { recursive: true, force: true });
    for (const [name, value] of [
      ['KUBECONFIG', saved.kubeconfig],
      ['SECRETS_NAMESPACE', saved.namespace],
      ['DISPATCH_SECRET_KEY', saved.key],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('stores a secret as one labelled Secret in SECRETS_NAMESPACE, and nothing in PostgreSQL', async () => {
    const created = await t.api('alice', 'POST', '/v1/secret', {
      name: 'db',
      secrets: { PASSWORD: 'hunter2' },
      tags: [{ key: 'team', value: 'core' }],
    });
    expect(created.status).toBe(201);
    expect(created.text).not.toContain('hunter2');
    const [object] = fake.secrets(NAMESPACE).filter((s) => s.metadata.name === 'dispatch.acme.db');
    expect(object).toMatchObject({ type: 'Opaque', data: { PASSWORD: Buffer.from('hunter2').toString('base64') } });
    expect(object.metadata.labels).toMatchObject({ 'dispatch.io/org': 'acme', 'dispatch.io/name': 'db' });
    const { rows } = await t.pool.query('SELECT count(*)::int AS n FROM "identity"."secret"');
    expect(rows[0].n).toBe(0);
  });

  it('reads values back for the owning org only; another org gets 404 and sees nothing in its list', async () => {
    const got = await t.api('alice', 'GET', '/v1/secret/db');
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ name: 'db', org: 'acme', secrets: { PASSWORD: 'hunter2' }, tags: [{ key: 'team', value: 'core' }] });
    expect((await t.api('bob', 'GET', '/v1/secret/db')).status).toBe(404);
    const list = await t.api('bob', 'GET', '/v1/secret');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
  });

  it('resolves secrets for a run over the bus from the Secrets', async () => {
    const resolved = await t.bus.request('identity.secret.resolve.v1', { org: 'acme', names: ['db'] });
    expect(resolved.secrets).toEqual({ PASSWORD: 'hunter2' });
  });

  it('replaces and deletes through the API, and refuses a duplicate with NAME_CONFLICT', async () => {
    expect((await t.api('alice', 'POST', '/v1/secret', { name: 'db', secrets: { X: 'y' } })).body).toMatchObject({ code: 'NAME_CONFLICT' });
    expect((await t.api('alice', 'PUT', '/v1/secret/db', { secrets: { PASSWORD: 'rotated' } })).status).toBe(200);
    expect((await t.api('alice', 'GET', '/v1/secret/db')).body).toMatchObject({ secrets: { PASSWORD: 'rotated' } });
    expect((await t.api('alice', 'DELETE', '/v1/secret/db')).status).toBe(204);
    expect(fake.secrets(NAMESPACE).some((s) => s.metadata.name === 'dispatch.acme.db')).toBe(false);
  });

  it('answers 503 SERVICE_UNAVAILABLE, not 500, while the API server fails', async () => {
    fake.failNext({ status: 503, reason: 'ServiceUnavailable' });
    const res = await t.api('alice', 'GET', '/v1/secret');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});
