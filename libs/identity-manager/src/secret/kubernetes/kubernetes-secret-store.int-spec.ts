import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { ConfigError, encodePageToken, loadConfig, parsePageQuery } from '@dispatch/platform';
import { fakeKubeConfig, startFakeKubeApi, useTempDir, type FakeKubeApi, type FakeKubeRequest } from '@dispatch/testing';
import { describeSecretStoreContract } from '../test-support/secret-store-contract';
import { KubernetesApiError, KubernetesSecretStore, kubernetesSecretsConfigSchema, kubernetesSecretStoreOf } from './index';

const NAMESPACE = 'dispatch-secrets';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const isWrite = (r: FakeKubeRequest) => r.method === 'POST' || r.method === 'PUT';

// The behaviour every backend owes (the PostgreSQL one: postgres-secret-store.int-spec.ts).
describeSecretStoreContract('Kubernetes Secrets (fake API server)', async () => {
  const fake = await startFakeKubeApi({ namespaces: [NAMESPACE] });
  return {
    store: new KubernetesSecretStore(fakeKubeConfig(fake), { namespace: NAMESPACE }),
    async teardown() {
      // Every object the store sent fitted the core/v1 Secret schema and the API server's rules:
      // the fake refuses anything else, so N accepted writes and no rejection prove it.
      const writes = fake.requests.filter(isWrite);
      expect(writes.length).toBeGreaterThan(20);
      expect(fake.rejectedWrites).toEqual([]);
      expect(fake.acceptedWrites).toBe(writes.filter((r) => r.status === 200 || r.status === 201).length);
      expect(writes.filter((r) => r.status !== 200 && r.status !== 201).map((r) => r.reason)).toEqual(['AlreadyExists']);
      await fake.stop();
    },
  };
});

describe('KubernetesSecretStore against the fake API server', () => {
  let fake: FakeKubeApi;
  let store: KubernetesSecretStore;
  let raw: CoreV1Api;
  const warnings: object[] = [];

  beforeAll(async () => {
    fake = await startFakeKubeApi({ namespaces: [NAMESPACE] });
    store = new KubernetesSecretStore(fakeKubeConfig(fake), { namespace: NAMESPACE, logger: { warn: (obj) => void warnings.push(obj) } });
    raw = fakeKubeConfig(fake).makeApiClient(CoreV1Api);
  });
  afterAll(async () => {
    await fake?.stop();
  });

  const since = (mark: number) => fake.requests.slice(mark);
  async function failureOf(promise: Promise<unknown>): Promise<Error & { code?: unknown }> {
    return promise.then(
      () => {
        throw new Error('expected a failure');
      },
      (err: unknown) => err as Error & { code?: unknown },
    );
  }

  it('keeps each secret as one Opaque Secret: dispatch.<org>.<name>, labelled, values base64 in data, metadata in annotations', async () => {
    const values = { DB_PASSWORD: `pw-${randomBytes(8).toString('hex')}`, 'tls.key': 'ünï ✓' };
    const mark = fake.requests.length;
    const summary = await store.put('acme', { name: 'db', secrets: values, tags: [{ key: 'team', value: 'core' }] }, 'create');
    const [object] = fake.secrets(NAMESPACE).filter((s) => s.metadata.name === 'dispatch.acme.db');
    expect(object).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: {
        name: 'dispatch.acme.db',
        namespace: NAMESPACE,
        uid: summary.id,
        resourceVersion: expect.any(String),
        creationTimestamp: expect.any(String),
        labels: { 'app.kubernetes.io/managed-by': 'dispatch', 'dispatch.io/org': 'acme', 'dispatch.io/name': 'db' },
        annotations: {
          'dispatch.io/tags': JSON.stringify([{ key: 'team', value: 'core' }]),
          'dispatch.io/created-time': summary.createdTime,
          'dispatch.io/modified-time': summary.modifiedTime,
        },
      },
      data: { DB_PASSWORD: b64(values.DB_PASSWORD), 'tls.key': b64(values['tls.key']) },
    });
    // One POST, values only as base64 in `data`: not in stringData, metadata, the URL or the query.
    const [post] = since(mark);
    expect(post).toMatchObject({ method: 'POST', path: `/api/v1/namespaces/${NAMESPACE}/secrets`, status: 201 });
    const body = post.body as Record<string, unknown>;
    expect(body['stringData']).toBeUndefined();
    expect(JSON.stringify({ ...body, data: undefined })).not.toContain(values.DB_PASSWORD);
    expect(JSON.stringify(since(mark).map((r) => [r.path, r.query]))).not.toContain('pw-');
  });

  it('replaces with a resourceVersion precondition, keeping labels and annotations others put on the Secret', async () => {
    const current = await raw.readNamespacedSecret({ name: 'dispatch.acme.db', namespace: NAMESPACE });
    await raw.replaceNamespacedSecret({
      name: 'dispatch.acme.db',
      namespace: NAMESPACE,
      body: {
        ...current,
        metadata: {
          ...current.metadata,
          labels: { ...current.metadata?.labels, backup: 'daily' },
          annotations: { ...current.metadata?.annotations, 'ops.example/owner': 'team-x' },
        },
      },
    });
    const mark = fake.requests.length;
    const replaced = await store.put('acme', { name: 'db', secrets: { ONLY: 'this' }, tags: [] }, 'replace');
    const put = since(mark).find((r) => r.method === 'PUT');
    expect((put?.body as { metadata: { resourceVersion?: string } }).metadata.resourceVersion).toMatch(/^\d+$/);
    const [object] = fake.secrets(NAMESPACE).filter((s) => s.metadata.name === 'dispatch.acme.db');
    expect(object.metadata.labels).toMatchObject({ backup: 'daily', 'dispatch.io/org': 'acme' });
    expect(object.metadata.annotations).toMatchObject({
      'ops.example/owner': 'team-x',
      'dispatch.io/tags': '[]',
      'dispatch.io/modified-time': replaced.modifiedTime,
    });
    expect(object.data).toEqual({ ONLY: b64('this') });
  });

  it('tries a replace or delete again when another writer got in between (409 Conflict)', async () => {
    await store.put('acme', { name: 'raced', secrets: { K: 'v1' }, tags: [] }, 'create');
    fake.failNext({
      status: 409,
      reason: 'Conflict',
      method: 'PUT',
      message: 'Operation cannot be fulfilled on secrets "dispatch.acme.raced": the object has been modified',
    });
    let mark = fake.requests.length;
    await store.put('acme', { name: 'raced', secrets: { K: 'v2' }, tags: [] }, 'replace');
    expect(since(mark).map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'PUT 409', 'GET 200', 'PUT 200']);
    expect((await store.get('acme', 'raced')).secrets).toEqual({ K: 'v2' });
    fake.failNext({ status: 409, reason: 'Conflict', method: 'DELETE' });
    mark = fake.requests.length;
    await store.delete('acme', 'raced');
    expect(since(mark).map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'DELETE 409', 'GET 200', 'DELETE 200']);
    expect((since(mark)[3].body as { preconditions: { uid: string } }).preconditions.uid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never reads, lists, replaces or deletes a Secret Dispatch did not write, and refuses to create over it', async () => {
    /** Writes a Secret straight to the API server, past the store. */
    const plant = (metadata: { name: string; labels?: Record<string, string> }, stringData: Record<string, string>) =>
      raw.createNamespacedSecret({ namespace: NAMESPACE, body: { metadata, stringData } });
    const dispatchLabels = (name: string) => ({
      'app.kubernetes.io/managed-by': 'dispatch',
      'dispatch.io/org': 'acme',
      'dispatch.io/name': name,
    });
    await plant({ name: 'dispatch.acme.foreign' }, { K: 'not ours' });
    // Our labels on an object whose name Dispatch would not give it.
    await plant({ name: 'impostor', labels: dispatchLabels('impostor') }, { K: 'x' });
    // A name Dispatch would write, whose labels name another secret.
    await plant({ name: 'dispatch.acme.mislabelled', labels: dispatchLabels('db') }, { K: 'x' });
    await expect(store.get('acme', 'foreign')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store.put('acme', { name: 'foreign', secrets: { K: 'mine now' }, tags: [] }, 'replace')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(store.delete('acme', 'foreign')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store.put('acme', { name: 'foreign', secrets: { K: 'mine now' }, tags: [] }, 'create')).rejects.toMatchObject({
      code: 'NAME_CONFLICT',
    });
    expect((await store.list('acme', { limit: 50 })).items.map((s) => s.name)).toEqual(['db']);
    expect((await raw.readNamespacedSecret({ name: 'dispatch.acme.foreign', namespace: NAMESPACE })).data).toEqual({ K: b64('not ours') });
  });

  it('maps limit/continue onto pages: the pageToken wraps the continue token, a full page looks one item ahead', async () => {
    for (const name of ['q1', 'q2', 'q3', 'q4', 'q5']) await store.put('queue', { name, secrets: { K: name }, tags: [] }, 'create');
    let mark = fake.requests.length;
    const first = await store.list('queue', parsePageQuery({ pageSize: 2 }));
    expect(first.items.map((s) => s.name)).toEqual(['q1', 'q2']);
    const lists = since(mark);
    expect(lists.map((r) => r.query)).toEqual([
      { labelSelector: 'app.kubernetes.io/managed-by=dispatch,dispatch.io/org=queue', limit: '2' },
      { labelSelector: 'app.kubernetes.io/managed-by=dispatch,dispatch.io/org=queue', limit: '1', continue: expect.any(String) },
    ]);
    const cursor = JSON.parse(parsePageQuery({ pageToken: first.nextPageToken }).after!) as { n: string; c: string };
    expect(cursor).toEqual({ n: 'q2', c: lists[1].query['continue'] });
    mark = fake.requests.length;
    const second = await store.list('queue', parsePageQuery({ pageSize: 2, pageToken: first.nextPageToken }));
    expect(second.items.map((s) => s.name)).toEqual(['q3', 'q4']);
    expect(since(mark)[0].query['continue']).toBe(cursor.c);
  });

  it('resumes a walk whose continue token expired (410 after compaction) without serving anything twice', async () => {
    for (const name of ['q1', 'q2', 'q3', 'q4', 'q5']) await store.put('expiry', { name, secrets: { K: name }, tags: [] }, 'create');
    const first = await store.list('expiry', parsePageQuery({ pageSize: 2 }));
    // A write after the first page moves the revision on; compacting then expires its token.
    await store.put('other', { name: 'later', secrets: { K: 'v' }, tags: [] }, 'create');
    fake.compact();
    const mark = fake.requests.length;
    const second = await store.list('expiry', parsePageQuery({ pageSize: 2, pageToken: first.nextPageToken }));
    expect(second.items.map((s) => s.name)).toEqual(['q3', 'q4']);
    expect(since(mark).map((r) => r.status)).toEqual([410, 200, 200]);
    // A token of the PostgreSQL backend (a bare name) works too: from the start, skipping to it.
    const bare = await store.list('expiry', parsePageQuery({ pageSize: 2, pageToken: encodePageToken('q3') }));
    expect(bare.items.map((s) => s.name)).toEqual(['q4', 'q5']);
    expect(bare.nextPageToken).toBeUndefined();
  });

  it('refuses a forged pageToken with INVALID_PAGE_TOKEN', async () => {
    for (const after of [JSON.stringify({ n: 'q1', c: 'forged' }), 'not a cursor']) {
      await expect(store.list('queue', parsePageQuery({ pageSize: 2, pageToken: encodePageToken(after) }))).rejects.toMatchObject({
        code: 'INVALID_PAGE_TOKEN',
      });
    }
  });

  it('answers SERVICE_UNAVAILABLE when the API server is unreachable, overloaded or failing, and logs it without values', async () => {
    for (const [status, reason] of [
      [503, 'ServiceUnavailable'],
      [500, 'InternalError'],
      [429, 'TooManyRequests'],
    ] as const) {
      fake.failNext({ status, reason });
      const err = await failureOf(store.put('acme', { name: 'unlucky', secrets: { K: 'transient-value' }, tags: [] }, 'create'));
      expect(err).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      expect(err.message).not.toContain('transient-value');
    }
    const closed = await startFakeKubeApi({ namespaces: [NAMESPACE] });
    await closed.stop();
    const unreachable = new KubernetesSecretStore(fakeKubeConfig(closed), {
      namespace: NAMESPACE,
      logger: { warn: (obj) => void warnings.push(obj) },
    });
    expect(await failureOf(unreachable.get('acme', 'db'))).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(warnings.at(-1)).toMatchObject({ operation: 'read', problem: 'ECONNREFUSED' });
    expect(JSON.stringify(warnings)).not.toContain('transient-value');
  });

  it('raises KubernetesApiError, saying what to fix, for refused credentials, missing RBAC, a missing namespace and an invalid object', async () => {
    const wrongToken = new KubernetesSecretStore(fakeKubeConfig(fake, { token: 'wrong' }), { namespace: NAMESPACE });
    const unauthorized = await failureOf(wrongToken.get('acme', 'db'));
    expect(unauthorized).toBeInstanceOf(KubernetesApiError);
    expect(unauthorized.message).toMatch(/401 Unauthorized to read of secret "dispatch.acme.db".*credentials/);

    fake.failNext({
      status: 403,
      reason: 'Forbidden',
      message: 'secrets is forbidden: User "system:serviceaccount:x:dispatch" cannot list resource "secrets"',
    });
    const forbidden = await failureOf(store.list('acme', { limit: 10 }));
    expect(forbidden).toBeInstanceOf(KubernetesApiError);
    expect(forbidden.message).toContain('needs get, list, create, update and delete on secrets in namespace "dispatch-secrets"');
    expect(forbidden).toMatchObject({ httpStatus: 403, reason: 'Forbidden', operation: 'list' });

    const nowhere = new KubernetesSecretStore(fakeKubeConfig(fake), { namespace: 'missing' });
    const missing = await failureOf(nowhere.put('acme', { name: 'x', secrets: { K: 'v' }, tags: [] }, 'create'));
    expect(missing).toBeInstanceOf(KubernetesApiError);
    expect(missing.message).toContain('namespace "missing" does not exist');
    // Read in a namespace that does not exist is just "not found", as the real server answers.
    await expect(nowhere.get('acme', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // A data key the API server refuses (the service's schema would have stopped it first).
    const value = `value-${randomBytes(6).toString('hex')}`;
    const rejectedBefore = fake.rejectedWrites.length;
    const invalid = await failureOf(store.put('acme', { name: 'bad-key', secrets: { 'not valid!': value }, tags: [] }, 'create'));
    expect(invalid).toBeInstanceOf(KubernetesApiError);
    expect(invalid.message).toContain('data[not valid!] (FieldValueInvalid)');
    expect(invalid.message).not.toContain(value);
    expect(JSON.stringify(invalid)).not.toContain(value);
    expect(fake.rejectedWrites.slice(rejectedBefore)).toEqual([expect.objectContaining({ by: 'apiserver' })]);
  });

  it('is refused by the fake whenever an object breaks the schema: the validation bites', async () => {
    const rejectedBefore = fake.rejectedWrites.length;
    const acceptedBefore = fake.acceptedWrites;
    // Through the same client the store uses; the body is what a buggy store might send.
    for (const body of [
      { metadata: { name: 'dispatch.acme.raw' }, data: { K: 'plain text, not base64' } },
      { metadata: { name: 'dispatch.acme.raw', labels: { 'dispatch.io/org': 7 } } },
      { metadata: { name: 'dispatch.acme.raw', annotations: { 'dispatch.io/tags': [] } } },
    ]) {
      const err = (await failureOf(raw.createNamespacedSecret({ namespace: NAMESPACE, body: body as never }))) as Error & {
        code?: number;
        body?: string;
      };
      expect(err.code).toBe(422);
      expect(JSON.parse(err.body!)).toMatchObject({ kind: 'Status', reason: 'Invalid' });
    }
    expect(fake.rejectedWrites.slice(rejectedBefore).map((r) => r.by)).toEqual(['schema', 'schema', 'schema']);
    expect(fake.acceptedWrites).toBe(acceptedBefore);
    await expect(raw.readNamespacedSecret({ name: 'dispatch.acme.raw', namespace: NAMESPACE })).rejects.toMatchObject({ code: 404 });
  });

  describe('configured from the environment', () => {
    const dir = useTempDir('dispatch-k8s-ns-', 'suite');

    it('takes SECRETS_NAMESPACE, else the pod namespace, and refuses anything else with a ConfigError', async () => {
      const kubeConfig = fakeKubeConfig(fake);
      const fromEnv = (env: NodeJS.ProcessEnv, options: Parameters<typeof kubernetesSecretStoreOf>[1]) =>
        kubernetesSecretStoreOf(loadConfig(kubernetesSecretsConfigSchema, env), options);
      expect(fromEnv({ SECRETS_NAMESPACE: NAMESPACE }, { kubeConfig }).namespace).toBe(NAMESPACE);
      const configured = fromEnv({ SECRETS_NAMESPACE: NAMESPACE }, { kubeConfig });
      expect((await configured.get('acme', 'db')).secrets).toEqual({ ONLY: 'this' });
      expect(() => fromEnv({ SECRETS_NAMESPACE: 'Not_Valid' }, { kubeConfig })).toThrow(ConfigError);
      const file = join(dir.path, 'namespace');
      await writeFile(file, 'from-pod\n');
      expect(fromEnv({}, { kubeConfig, namespaceFile: file }).namespace).toBe('from-pod');
      expect(() => fromEnv({}, { kubeConfig, namespaceFile: join(dir.path, 'absent') })).toThrow(/SECRETS_NAMESPACE: not set/);
    });
  });
});
