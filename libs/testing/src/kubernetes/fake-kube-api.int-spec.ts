import { CoreV1Api } from '@kubernetes/client-node';
import { fakeKubeConfig, startFakeKubeApi, type FakeKubeApi, type KubeStatus, type StoredSecret } from './index';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const NS = 'dispatch';

/** The fake held to the real API server's behaviour: statuses, shapes, validation, paging. */
describe('fake Kubernetes API server', () => {
  let fake: FakeKubeApi;

  beforeAll(async () => {
    fake = await startFakeKubeApi({ namespaces: [NS] });
  });
  afterAll(async () => {
    await fake?.stop();
  });

  async function call(
    method: string,
    path: string,
    body?: unknown,
    token: string | null = fake.token,
  ): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${fake.url}${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  }
  const secrets = (ns = NS) => `/api/v1/namespaces/${ns}/secrets`;
  const secret = (name: string, extra: Json = {}): Json => ({
    apiVersion: 'v1',
    kind: 'Secret',
    data: { K: b64('v') },
    ...extra,
    metadata: { name, ...extra['metadata'] },
  });
  const status = (code: number, reason: string, message: string, details?: KubeStatus['details']): KubeStatus => ({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  });

  it('refuses a request without the bearer token, or with another, with 401 Unauthorized', async () => {
    expect(await call('GET', secrets(), undefined, null)).toEqual({ status: 401, body: status(401, 'Unauthorized', 'Unauthorized') });
    expect((await call('GET', secrets(), undefined, 'not-the-token')).status).toBe(401);
  });

  it('creates a Secret with the fields the server owns, and reads it back', async () => {
    const created = await call('POST', secrets(), secret('first', { metadata: { labels: { app: 'x' } } }));
    expect(created.status).toBe(201);
    const meta = created.body['metadata'] as StoredSecret['metadata'];
    expect(created.body).toMatchObject({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', data: { K: b64('v') } });
    expect(meta).toMatchObject({ name: 'first', namespace: NS, labels: { app: 'x' } });
    expect(meta.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(meta.resourceVersion).toMatch(/^[1-9][0-9]*$/);
    expect(meta.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await call('GET', `${secrets()}/first`)).toEqual({ status: 200, body: created.body });
  });

  it('answers AlreadyExists, NotFound and a missing namespace with Status objects shaped like the real ones', async () => {
    expect(await call('POST', secrets(), secret('first'))).toEqual({
      status: 409,
      body: status(409, 'AlreadyExists', 'secrets "first" already exists', { name: 'first', kind: 'secrets' }),
    });
    expect(await call('GET', `${secrets()}/nope`)).toEqual({
      status: 404,
      body: status(404, 'NotFound', 'secrets "nope" not found', { name: 'nope', kind: 'secrets' }),
    });
    expect(await call('PUT', `${secrets()}/nope`, secret('nope'))).toMatchObject({ status: 404, body: { reason: 'NotFound' } });
    expect(await call('DELETE', `${secrets()}/nope`)).toMatchObject({ status: 404, body: { reason: 'NotFound' } });
    expect(await call('POST', secrets('elsewhere'), secret('x'))).toEqual({
      status: 404,
      body: status(404, 'NotFound', 'namespaces "elsewhere" not found', { name: 'elsewhere', kind: 'namespaces' }),
    });
    expect(await call('PATCH', `${secrets()}/first`, {})).toMatchObject({ status: 405, body: { reason: 'MethodNotAllowed' } });
    expect(await call('GET', '/api/v1/namespaces/dispatch/configmaps')).toMatchObject({
      status: 404,
      body: { kind: 'Status', reason: 'NotFound' },
    });
  });

  it('replaces with uid and creationTimestamp kept, a new resourceVersion, and resourceVersion as a precondition', async () => {
    const before = (await call('GET', `${secrets()}/first`)).body;
    const replaced = await call('PUT', `${secrets()}/first`, { ...before, data: { K: b64('w') } });
    expect(replaced.status).toBe(200);
    expect(replaced.body['metadata']).toMatchObject({
      uid: before['metadata'].uid,
      creationTimestamp: before['metadata'].creationTimestamp,
    });
    expect(Number(replaced.body['metadata'].resourceVersion)).toBeGreaterThan(Number(before['metadata'].resourceVersion));
    // The old resourceVersion is stale now.
    expect(await call('PUT', `${secrets()}/first`, before)).toEqual({
      status: 409,
      body: status(
        409,
        'Conflict',
        'Operation cannot be fulfilled on secrets "first": the object has been modified; please apply your changes to the latest version and try again',
        {
          name: 'first',
          kind: 'secrets',
        },
      ),
    });
    expect(await call('PUT', `${secrets()}/first`, secret('second'))).toMatchObject({ status: 400, body: { reason: 'BadRequest' } });
    expect((await call('GET', `${secrets()}/first`)).body['data']).toEqual({ K: b64('w') });
  });

  it('deletes with a Success Status, honouring a uid precondition', async () => {
    await call('POST', secrets(), secret('doomed'));
    expect(await call('DELETE', `${secrets()}/doomed`, { preconditions: { uid: '00000000-0000-0000-0000-000000000000' } })).toMatchObject({
      status: 409,
      body: { reason: 'Conflict', message: expect.stringContaining('Precondition failed: UID in precondition') },
    });
    const { uid } = (await call('GET', `${secrets()}/doomed`)).body['metadata'];
    expect(await call('DELETE', `${secrets()}/doomed`, { preconditions: { uid } })).toEqual({
      status: 200,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { name: 'doomed', kind: 'secrets', uid },
        code: 200,
      },
    });
    expect((await call('GET', `${secrets()}/doomed`)).status).toBe(404);
  });

  it('refuses, with 422 Invalid, every write that does not fit the core/v1 Secret schema (kubernetes-models), storing nothing', async () => {
    const rejectedBefore = fake.rejectedWrites.length;
    const cases: [Json, string][] = [
      [secret('bad-b64', { data: { K: 'not base64!' } }), 'data[K]'],
      [secret('not-string', { data: { K: 42 } }), 'data[K]'],
      [secret('wrong-kind', { kind: 'ConfigMap' }), 'kind'],
      [secret('bad-labels', { metadata: { name: 'bad-labels', labels: { a: 1 } } }), 'metadata.labels[a]'],
    ];
    for (const [body, field] of cases) {
      const res = await call('POST', secrets(), body);
      expect(res).toMatchObject({
        status: 422,
        body: { kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422, details: { kind: 'Secret' } },
      });
      expect(res.body['details'].causes).toEqual(expect.arrayContaining([expect.objectContaining({ field, reason: 'FieldValueInvalid' })]));
      expect(res.body['message']).toMatch(/^Secret "[a-z0-9-]*" is invalid: /);
    }
    expect(fake.rejectedWrites.slice(rejectedBefore).map((r) => r.by)).toEqual(['schema', 'schema', 'schema', 'schema']);
    const names = fake.secrets(NS).map((s) => s.metadata.name);
    for (const name of ['bad-b64', 'not-string', 'wrong-kind', 'bad-labels']) expect(names).not.toContain(name);
  });

  it("refuses, with 422 Invalid and the API server's causes, what the server's own rules refuse", async () => {
    const rejectedBefore = fake.rejectedWrites.length;
    const cases: [Json, string, string][] = [
      [secret('Not_A_Subdomain'), 'metadata.name', 'a lowercase RFC 1123 subdomain must consist of'],
      [secret(`${'a'.repeat(250)}.xyz`), 'metadata.name', 'must be no more than 253 characters'],
      [secret('bad-key', { data: { 'no spaces': b64('v') } }), 'data[no spaces]', 'a valid config key must consist of'],
      [
        secret('bad-label', { metadata: { name: 'bad-label', labels: { app: 'not valid!' } } }),
        'metadata.labels',
        'a valid label must be an empty string',
      ],
      [
        secret('bad-annotation', { metadata: { name: 'bad-annotation', annotations: { 'a/b/c': 'x' } } }),
        'metadata.annotations',
        'a qualified name must consist of',
      ],
      [secret('too-big', { data: { K: Buffer.alloc(1024 * 1024 + 1).toString('base64') } }), 'data', 'may not be more than 1048576 bytes'],
      [{ apiVersion: 'v1', kind: 'Secret', metadata: {} }, 'metadata.name', 'name or generateName is required'],
    ];
    for (const [body, field, message] of cases) {
      const res = await call('POST', secrets(), body);
      expect(res).toMatchObject({
        status: 422,
        body: {
          reason: 'Invalid',
          details: { causes: expect.arrayContaining([expect.objectContaining({ field, message: expect.stringContaining(message) })]) },
        },
      });
    }
    expect(fake.rejectedWrites.slice(rejectedBefore).every((r) => r.by === 'apiserver')).toBe(true);
    expect(fake.rejectedWrites).toHaveLength(rejectedBefore + cases.length);
    // An immutable Secret's data stays as it is.
    await call('POST', secrets(), secret('frozen', { immutable: true }));
    const frozen = (await call('GET', `${secrets()}/frozen`)).body;
    expect(await call('PUT', `${secrets()}/frozen`, { ...frozen, data: { K: b64('changed') } })).toMatchObject({
      status: 422,
      body: { details: { causes: [{ field: 'data', reason: 'FieldValueForbidden' }] } },
    });
  });

  it('merges stringData into data, as the API server does, and never answers stringData', async () => {
    const res = await call('POST', secrets(), {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'strings' },
      data: { A: b64('a') },
      stringData: { B: 'ünï' },
    });
    expect(res.status).toBe(201);
    expect(res.body['data']).toEqual({ A: b64('a'), B: b64('ünï') });
    expect(res.body['stringData']).toBeUndefined();
  });

  it('lists by label selector in name order, with items carrying no kind', async () => {
    for (const [name, team] of [
      ['sel-c', 'red'],
      ['sel-a', 'red'],
      ['sel-b', 'blue'],
    ]) {
      expect((await call('POST', secrets(), secret(name, { metadata: { name, labels: { team, group: 'sel' } } }))).status).toBe(201);
    }
    const red = await call('GET', `${secrets()}?labelSelector=${encodeURIComponent('team=red')}`);
    expect(red.status).toBe(200);
    expect(red.body).toMatchObject({ kind: 'SecretList', apiVersion: 'v1', metadata: { resourceVersion: expect.stringMatching(/^\d+$/) } });
    expect(red.body['items'].map((i: Json) => i['metadata'].name)).toEqual(['sel-a', 'sel-c']);
    expect(red.body['items'][0]['kind']).toBeUndefined();
    const q = (s: string) =>
      call('GET', `${secrets()}?labelSelector=${encodeURIComponent(s)}`).then((r) => r.body['items'].map((i: Json) => i['metadata'].name));
    expect(await q('group=sel,team!=red')).toEqual(['sel-b']);
    expect(await q('team in (blue, red),group')).toEqual(['sel-a', 'sel-b', 'sel-c']);
    expect(await q('group==sel,team notin (red)')).toEqual(['sel-b']);
    expect(await q('!team')).not.toContain('sel-a');
    expect(await call('GET', `${secrets()}?labelSelector=${encodeURIComponent('team in red')}`)).toMatchObject({
      status: 400,
      body: { reason: 'BadRequest' },
    });
  });

  it('pages with limit and continue over a consistent snapshot, and expires old tokens on compaction with 410', async () => {
    const ns = 'paging';
    fake.namespaces.add(ns);
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) await call('POST', secrets(ns), secret(name));
    const first = await call('GET', `${secrets(ns)}?limit=2`);
    expect(first.body['items'].map((i: Json) => i['metadata'].name)).toEqual(['p1', 'p2']);
    expect(first.body['metadata'].remainingItemCount).toBe(3);
    const token = first.body['metadata'].continue as string;
    expect(JSON.parse(Buffer.from(token, 'base64url').toString())).toEqual({
      v: 'meta.k8s.io/v1',
      rv: Number(first.body['metadata'].resourceVersion),
      start: 'p2\u0000',
    });

    // Written after the first page: not part of the snapshot the next pages are read from.
    await call('POST', secrets(ns), secret('p3a'));
    await call('DELETE', `${secrets(ns)}/p4`);
    const second = await call('GET', `${secrets(ns)}?limit=2&continue=${token}`);
    expect(second.body['items'].map((i: Json) => i['metadata'].name)).toEqual(['p3', 'p4']);
    expect(second.body['metadata'].resourceVersion).toBe(first.body['metadata'].resourceVersion);
    const third = await call('GET', `${secrets(ns)}?limit=2&continue=${second.body['metadata'].continue as string}`);
    expect(third.body['items'].map((i: Json) => i['metadata'].name)).toEqual(['p5']);
    expect(third.body['metadata'].continue).toBeUndefined();
    // A fresh list sees the writes.
    expect((await call('GET', secrets(ns))).body['items'].map((i: Json) => i['metadata'].name)).toEqual(['p1', 'p2', 'p3', 'p3a', 'p5']);

    fake.compact();
    const expired = await call('GET', `${secrets(ns)}?limit=2&continue=${token}`);
    expect(expired).toMatchObject({
      status: 410,
      body: {
        kind: 'Status',
        reason: 'Expired',
        code: 410,
        message: expect.stringContaining('too old to display a consistent list result'),
      },
    });
    const inconsistent = expired.body['metadata'].continue as string;
    expect(JSON.parse(Buffer.from(inconsistent, 'base64url').toString())).toMatchObject({ rv: -1, start: 'p2\u0000' });
    const resumed = await call('GET', `${secrets(ns)}?limit=10&continue=${inconsistent}`);
    expect(resumed.body['items'].map((i: Json) => i['metadata'].name)).toEqual(['p3', 'p3a', 'p5']);

    expect(await call('GET', `${secrets(ns)}?limit=2&continue=garbage`)).toMatchObject({
      status: 400,
      body: { reason: 'BadRequest', message: expect.stringContaining('invalid continue token') },
    });
  });

  it('serves @kubernetes/client-node, whose failures are ApiExceptions carrying the Status', async () => {
    const api = fakeKubeConfig(fake).makeApiClient(CoreV1Api);
    const created = await api.createNamespacedSecret({ namespace: NS, body: { metadata: { name: 'via-client' }, stringData: { K: 'v' } } });
    expect(created.metadata?.uid).toBeDefined();
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect((await api.readNamespacedSecret({ name: 'via-client', namespace: NS })).data).toEqual({ K: b64('v') });
    const list = await api.listNamespacedSecret({ namespace: NS, limit: 1 });
    expect(list.items).toHaveLength(1);
    expect(list.metadata?._continue).toBeTruthy();
    await expect(api.createNamespacedSecret({ namespace: NS, body: { metadata: { name: 'via-client' } } })).rejects.toMatchObject({
      code: 409,
    });
    const err = (await api.readNamespacedSecret({ name: 'absent', namespace: NS }).then(
      () => undefined,
      (e: unknown) => e,
    )) as { code: number; body: string };
    expect(err.code).toBe(404);
    expect(JSON.parse(err.body)).toMatchObject({ kind: 'Status', reason: 'NotFound' });
    await api.deleteNamespacedSecret({ name: 'via-client', namespace: NS });
    const stranger = fakeKubeConfig(fake, { token: 'wrong' }).makeApiClient(CoreV1Api);
    await expect(stranger.listNamespacedSecret({ namespace: NS })).rejects.toMatchObject({ code: 401 });
  });

  it('fails the next request on demand, and logs every request with its answer', async () => {
    fake.failNext({ status: 503, reason: 'ServiceUnavailable', method: 'GET' });
    expect(await call('GET', `${secrets()}/first`)).toMatchObject({
      status: 503,
      body: { kind: 'Status', reason: 'ServiceUnavailable', code: 503 },
    });
    expect((await call('GET', `${secrets()}/first`)).status).toBe(200);
    const last = fake.requests[fake.requests.length - 1];
    expect(last).toMatchObject({ method: 'GET', path: `${secrets()}/first`, status: 200 });
    expect(fake.requests.some((r) => r.status === 422 && r.reason === 'Invalid')).toBe(true);
  });
});
