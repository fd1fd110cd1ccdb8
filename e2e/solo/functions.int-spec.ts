import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { SignJWT } from 'jose';
import { create as createTar } from 'tar';
import {
  describeTenantProbes,
  freePort,
  probeCredentials,
  type ProbeCredentials,
  startProcess,
  startTestIdp,
  type Started,
  type TestIdp,
  waitFor,
} from '@dispatch/testing';

const SOLO = resolve(__dirname, '../../dist/apps/dispatch/src/main.js');
const FIXTURES = resolve(__dirname, '../fixtures/functions');

type Json = Record<string, unknown> & { items?: Json[] };
interface Answer {
  status: number;
  body: Json;
}

/** Every file of a fixture directory, as a directory upload sends them. */
async function filesOf(dir: string): Promise<{ path: string; content: Buffer }[]> {
  const out: { path: string; content: Buffer }[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else out.push({ path: relative(dir, full), content: await readFile(full) });
    }
  };
  await walk(dir);
  return out;
}

async function tarGzOf(dir: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = createTar({ gzip: true, cwd: dir, portable: true }, await readdir(dir));
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Functions as a user meets them in solo mode: the built server with its
 * embedded faas-local, real Node.js and Python workers, tokens from a real OIDC provider.
 */
describe('solo mode: functions and runs', () => {
  let idp: TestIdp;
  let home: string;
  let server: Started;
  let api: string;
  const tokens: Record<string, string> = {};
  const probe = {} as ProbeCredentials;
  const env = () => ({
    DISPATCH_HOME: home,
    DATABASE_URL: '',
    NATS_URL: '',
    GATEWAY_PORT: '0',
    DISPATCH_TRUSTED_ISSUERS: JSON.stringify([idp.trustedIssuer()]),
    DISPATCH_ADMINS: 'user:root',
    LOG_LEVEL: 'warn',
  });

  async function call(who: string, method: string, path: string, body?: unknown): Promise<Answer> {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[who]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json };
  }

  async function upload(
    who: string,
    method: 'POST' | 'PUT',
    path: string,
    spec: unknown,
    files: { path: string; content: Buffer }[],
  ): Promise<Answer> {
    const form = new FormData();
    form.append('function', JSON.stringify(spec));
    for (const f of files) form.append('files', new Blob([f.content]), f.path);
    const res = await fetch(`${api}${path}`, { method, headers: { authorization: `Bearer ${tokens[who]}` }, body: form });
    return { status: res.status, body: (await res.json()) as Json };
  }

  async function untilSettled(who: string, name: string): Promise<Json> {
    let fn: Json = {};
    await waitFor(
      async () => {
        fn = (await call(who, 'GET', `/v1/function/${name}`)).body;
        return fn['status'] === 'READY' || fn['status'] === 'ERROR';
      },
      { timeoutMs: 30_000, what: `function ${name} to settle` },
    );
    return fn;
  }

  async function start(): Promise<void> {
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    server = await startProcess([SOLO], { ...env(), PORT: String(port) }, `${api}/readyz`, { timeoutMs: 120_000, detached: true });
  }

  beforeAll(async () => {
    if (!existsSync(SOLO)) throw new Error(`${SOLO} is missing: run \`npm run build\` (npm test does it first)`);
    idp = await startTestIdp();
    home = await mkdtemp(join(tmpdir(), 'dispatch-fn-e2e-'));
    await start();
    for (const [who, org, groups] of [
      ['root', 'default', []],
      ['alice', 'acme', []],
      ['carol', 'acme', ['auditors']],
      ['bob', 'beta', []],
    ] as const) {
      tokens[who] = await idp.issueToken({ subject: who, org, groups: [...groups] });
    }
    for (const [org, admin] of [
      ['acme', 'alice'],
      ['beta', 'bob'],
    ]) {
      let answer: Answer | undefined;
      await waitFor(async () => {
        answer = await call('root', 'POST', '/v1/iam/organizations', { name: org, admins: [{ kind: 'user', name: admin }] });
        return answer.status !== 403;
      });
      expect(answer?.status).toBe(201);
    }
    expect(
      (
        await call('alice', 'POST', '/v1/iam/policies', {
          name: 'readers',
          role: 'viewer',
          subjects: [{ kind: 'group', name: 'auditors' }],
        })
      ).status,
    ).toBe(201);
    Object.assign(
      probe,
      await probeCredentials(idp, {
        baseUrl: api,
        claims: { subject: 'alice', org: 'acme' },
        viewer: tokens['carol'],
        admin: tokens['bob'],
      }),
    );
  }, 150_000);

  afterAll(async () => {
    await server?.stop('SIGTERM', 20_000);
    await idp?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('creates a Node.js function from a directory upload and runs it blocking, with its logs', async () => {
    const created = await upload(
      'alice',
      'POST',
      '/v1/function',
      { name: 'hello', runtime: 'nodejs', handler: 'index.js', minReplicas: 1 },
      await filesOf(join(FIXTURES, 'node-hello')),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'hello', org: 'acme', status: 'CREATING', runtime: 'nodejs', latestVersion: 1 });
    expect(await untilSettled('alice', 'hello')).toMatchObject({ status: 'READY', activeVersion: 1 });

    const run = await call('alice', 'POST', '/v1/runs?functionName=hello', { input: { name: 'Ada' }, blocking: true });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({
      functionName: 'hello',
      status: 'SUCCEEDED',
      output: { greeting: 'Hello, Ada', version: 'v1' },
      logs: { stdout: ['hello from hello'], stderr: ['a line on stderr'] },
      trigger: { kind: 'api' },
      error: null,
    });
    expect((await call('alice', 'GET', `/v1/runs/${String(run.body['id'])}`)).body).toMatchObject({
      status: 'SUCCEEDED',
      output: { greeting: 'Hello, Ada' },
    });
  });

  it('creates a Python function from a tar.gz and runs it async: 202, then the finished run', async () => {
    const source = (await tarGzOf(join(FIXTURES, 'python-hello'))).toString('base64');
    expect(
      (await call('alice', 'POST', '/v1/function', { name: 'pyhello', runtime: 'python3', handler: 'hello.handle', source })).status,
    ).toBe(201);
    expect(await untilSettled('alice', 'pyhello')).toMatchObject({ status: 'READY', reason: [] });
    const queued = await call('alice', 'POST', '/v1/function/pyhello/runs', { input: { name: 'Grace' } });
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({ status: 'INITIALIZED', blocking: false });
    let run: Json = {};
    await waitFor(async () => {
      run = (await call('alice', 'GET', `/v1/runs/${String(queued.body['id'])}`)).body;
      return run['status'] === 'SUCCEEDED' || run['status'] === 'FAILED';
    });
    expect(run).toMatchObject({
      status: 'SUCCEEDED',
      output: { greeting: 'Hello, Grace', runtime: 'python3' },
      logs: { stdout: ['hello from python'], stderr: ['warning line'] },
    });
  });

  it('records a throwing function as FunctionError, bad input as InputError without calling it, and a loop as TIMED_OUT', async () => {
    const files = await filesOf(join(FIXTURES, 'node-fail'));
    const inputSchema = { type: 'object', required: ['mode'], properties: { mode: { enum: ['ok', 'throw', 'loop', 'hog', 'sleep'] } } };
    expect(
      (
        await upload(
          'alice',
          'POST',
          '/v1/function',
          { name: 'fail', runtime: 'nodejs', handler: 'index.js', inputSchema, timeoutSeconds: 2, memoryMb: 128 },
          files,
        )
      ).status,
    ).toBe(201);
    expect(await untilSettled('alice', 'fail')).toMatchObject({ status: 'READY' });

    const thrown = await call('alice', 'POST', '/v1/runs?functionName=fail', { input: { mode: 'throw' }, blocking: true });
    expect(thrown.body).toMatchObject({
      status: 'FAILED',
      error: { type: 'FunctionError', message: expect.stringContaining('the function broke on purpose') },
    });
    expect((thrown.body['error'] as { stacktrace: string[] }).stacktrace.join('\n')).toContain('index.js');

    const bad = await call('alice', 'POST', '/v1/runs?functionName=fail', { input: { mode: 'nope' }, blocking: true });
    expect(bad.body).toMatchObject({ status: 'FAILED', error: { type: 'InputError', message: expect.stringContaining('inputSchema') } });

    const t0 = Date.now();
    const looped = await call('alice', 'POST', '/v1/runs?functionName=fail', { input: { mode: 'loop' }, blocking: true });
    expect(looped.body).toMatchObject({ status: 'TIMED_OUT', error: { type: 'FunctionError' } });
    expect(Date.now() - t0).toBeLessThan(2000 + 1500);
    expect((await call('alice', 'POST', '/v1/runs?functionName=fail', { input: { mode: 'ok' }, blocking: true })).body).toMatchObject({
      status: 'SUCCEEDED',
      output: { ok: true },
    });

    const hog = await call('alice', 'POST', '/v1/runs?functionName=fail', { input: { mode: 'hog' }, blocking: true });
    expect(hog.body).toMatchObject({ status: 'FAILED', error: { type: 'FunctionError', message: expect.stringMatching(/memory/i) } });
    expect((await call('alice', 'POST', '/v1/runs?functionName=fail', { input: { mode: 'ok' }, blocking: true })).body).toMatchObject({
      status: 'SUCCEEDED',
    });
  }, 60_000);

  it('injects the named secrets of the function and of the run, by key, from identity-manager', async () => {
    expect((await call('alice', 'POST', '/v1/secret', { name: 'db', secrets: { PASSWORD: 'hunter2' } })).status).toBe(201);
    expect((await call('alice', 'POST', '/v1/secret', { name: 'api', secrets: { TOKEN: 't0k' } })).status).toBe(201);
    const run = await call('alice', 'POST', '/v1/runs?functionName=hello', { blocking: true, secrets: ['db', 'api'] });
    expect(run.body).toMatchObject({ status: 'SUCCEEDED', secrets: ['db', 'api'], output: { secretKeys: ['PASSWORD', 'TOKEN'] } });
    expect(JSON.stringify(run.body)).not.toContain('hunter2');
    const missing = await call('alice', 'POST', '/v1/runs?functionName=hello', { blocking: true, secrets: ['nope'] });
    expect(missing.body).toMatchObject({ status: 'FAILED', error: { type: 'InputError', message: expect.stringContaining('nope') } });
  });

  it('refuses a function naming a secret that does not exist, at create and at update, with 404 naming it, storing nothing', async () => {
    const files = await filesOf(join(FIXTURES, 'node-hello'));
    const spec = { runtime: 'nodejs', handler: 'index.js' };
    const ghost = await upload('alice', 'POST', '/v1/function', { ...spec, name: 'haunted', secrets: ['db', 'ghost'] }, files);
    expect(ghost).toMatchObject({ status: 404, body: { code: 'NOT_FOUND', message: expect.stringContaining('"ghost"') } });
    expect(ghost.body['message']).not.toContain('"db"');
    expect((await call('alice', 'GET', '/v1/function/haunted')).status).toBe(404);

    expect((await upload('alice', 'POST', '/v1/function', { ...spec, name: 'keyed', secrets: ['db'] }, files)).status).toBe(201);
    expect(await untilSettled('alice', 'keyed')).toMatchObject({ status: 'READY', secrets: ['db'], latestVersion: 1 });
    const update = await call('alice', 'PUT', '/v1/function/keyed', { secrets: ['db', 'phantom'] });
    expect(update).toMatchObject({ status: 404, body: { code: 'NOT_FOUND', message: expect.stringContaining('"phantom"') } });
    expect((await call('alice', 'GET', '/v1/function/keyed')).body).toMatchObject({ status: 'READY', secrets: ['db'], latestVersion: 1 });
    expect((await call('alice', 'GET', '/v1/function/keyed/versions')).body.items).toHaveLength(1);
    // Once the secret exists, the same update is taken.
    expect((await call('alice', 'POST', '/v1/secret', { name: 'phantom', secrets: { K: 'v' } })).status).toBe(201);
    expect(await call('alice', 'PUT', '/v1/function/keyed', { secrets: ['db', 'phantom'] })).toMatchObject({
      status: 200,
      body: { secrets: ['db', 'phantom'], latestVersion: 2 },
    });
  }, 60_000);

  it('lets a platform admin make an org whose first service account signs its own way in and deploys there', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const created = await call('root', 'POST', '/v1/iam/organizations', {
      name: 'gamma',
      admin: { serviceAccount: { name: 'deployer', publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString() } },
    });
    expect(created).toMatchObject({ status: 201, body: { name: 'gamma' } });
    tokens['gamma-deployer'] = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer('gamma/deployer')
      .setSubject('deployer')
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + 600)
      .sign(privateKey);
    expect((await call('gamma-deployer', 'POST', '/v1/secret', { name: 'cfg', secrets: { K: 'v' } })).status).toBe(201);
    const files = await filesOf(join(FIXTURES, 'node-hello'));
    // Another org's secret of that name (acme's "db") does not exist for this one.
    const foreign = { name: 'borrower', runtime: 'nodejs', handler: 'index.js', secrets: ['db'] };
    expect(await upload('gamma-deployer', 'POST', '/v1/function', foreign, files)).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: expect.stringContaining('"db"') },
    });
    const fn = { name: 'hello', runtime: 'nodejs', handler: 'index.js', secrets: ['cfg'] };
    expect((await upload('gamma-deployer', 'POST', '/v1/function', fn, files)).status).toBe(201);
    expect(await untilSettled('gamma-deployer', 'hello')).toMatchObject({ status: 'READY' });
    const run = await call('gamma-deployer', 'POST', '/v1/runs?functionName=hello', { blocking: true });
    expect(run.body).toMatchObject({ status: 'SUCCEEDED', output: { secretKeys: ['K'] } });
    // It is gamma's admin, not a platform admin.
    expect((await call('gamma-deployer', 'GET', '/v1/iam/organizations')).status).toBe(403);
  }, 60_000);

  it("enforces the org's quota of concurrent runs with 429 QUOTA_EXCEEDED", async () => {
    expect((await call('root', 'PUT', '/v1/iam/quotas/beta', { maxConcurrentRuns: 1 })).status).toBe(200);
    const files = await filesOf(join(FIXTURES, 'node-fail'));
    expect(
      (
        await upload(
          'bob',
          'POST',
          '/v1/function',
          { name: 'slow', runtime: 'nodejs', handler: 'index.js', minReplicas: 2, maxReplicas: 2 },
          files,
        )
      ).status,
    ).toBe(201);
    expect(await untilSettled('bob', 'slow')).toMatchObject({ status: 'READY' });
    const [first, second] = await Promise.all([
      call('bob', 'POST', '/v1/runs?functionName=slow', { input: { mode: 'sleep' }, blocking: true }),
      new Promise<Answer>((resolve) =>
        setTimeout(() => resolve(call('bob', 'POST', '/v1/runs?functionName=slow', { input: { mode: 'sleep' }, blocking: true })), 300),
      ),
    ]);
    expect(first.body).toMatchObject({ status: 'SUCCEEDED', output: { slept: true } });
    expect(second).toMatchObject({
      status: 429,
      body: { code: 'QUOTA_EXCEEDED', message: expect.stringContaining('maxConcurrentRuns 1') },
    });
    expect((await call('bob', 'POST', '/v1/runs?functionName=slow', { input: { mode: 'ok' }, blocking: true })).body).toMatchObject({
      status: 'SUCCEEDED',
    });
  });

  it('refuses bad functions with 4xx and stable codes, storing nothing', async () => {
    const files = await filesOf(join(FIXTURES, 'node-hello'));
    expect(
      (await upload('alice', 'POST', '/v1/function', { name: 'bad1', runtime: 'cobol', handler: 'index.js' }, files)).body,
    ).toMatchObject({ code: 'VALIDATION_FAILED' });
    const missing = await upload('alice', 'POST', '/v1/function', { name: 'bad2', runtime: 'nodejs', handler: 'main.js' }, files);
    expect(missing).toMatchObject({ status: 400, body: { code: 'HANDLER_NOT_FOUND' } });
    const notArchive = await call('alice', 'POST', '/v1/function', {
      name: 'bad3',
      runtime: 'nodejs',
      handler: 'index.js',
      source: Buffer.from('just text').toString('base64'),
    });
    expect(notArchive).toMatchObject({ status: 400, body: { code: 'INVALID_ARCHIVE' } });
    expect(
      (await upload('alice', 'POST', '/v1/function', { name: 'hello', runtime: 'nodejs', handler: 'index.js' }, files)).body,
    ).toMatchObject({ code: 'NAME_CONFLICT' });
    const names = ((await call('alice', 'GET', '/v1/function')).body.items ?? []).map((f) => f['name']);
    expect(names).not.toEqual(expect.arrayContaining(['bad1', 'bad2', 'bad3']));
  });

  it('answers 409 FUNCTION_NOT_READY for a run of a function still being created', async () => {
    await upload(
      'alice',
      'POST',
      '/v1/function',
      { name: 'fresh', runtime: 'nodejs', handler: 'index.js' },
      await filesOf(join(FIXTURES, 'node-hello')),
    );
    const early = await call('alice', 'POST', '/v1/runs?functionName=fresh', { blocking: true });
    expect(early).toMatchObject({ status: 409, body: { code: 'FUNCTION_NOT_READY' } });
  });

  it('rolls out a new version under load with no failed run, then rolls back', async () => {
    let stop = false;
    const outcomes: string[] = [];
    const versions = new Set<string>();
    const load = (async () => {
      while (!stop) {
        const r = await call('alice', 'POST', '/v1/runs?functionName=hello', { input: { name: 'load' }, blocking: true });
        outcomes.push(r.status === 200 ? String(r.body['status']) : `HTTP ${r.status}`);
        if (r.status === 200) versions.add(String((r.body['output'] as Json)['version']));
      }
    })();
    await waitFor(() => outcomes.length > 5);
    const updated = await call('alice', 'PUT', '/v1/function/hello', { env: { GREETING_VERSION: 'v2' } });
    expect(updated.body).toMatchObject({ status: 'UPDATING', latestVersion: 2, activeVersion: 1 });
    expect(await untilSettled('alice', 'hello')).toMatchObject({ status: 'READY', activeVersion: 2 });
    await waitFor(() => versions.has('v2'));
    const n = outcomes.length;
    await waitFor(() => outcomes.length > n + 5);
    stop = true;
    await load;
    expect(outcomes.filter((o) => o !== 'SUCCEEDED')).toEqual([]);
    expect(versions).toEqual(new Set(['v1', 'v2']));

    expect((await call('alice', 'POST', '/v1/function/hello/rollback', { version: 1 })).body).toMatchObject({ latestVersion: 3 });
    expect(await untilSettled('alice', 'hello')).toMatchObject({ status: 'READY', activeVersion: 3 });
    expect((await call('alice', 'POST', '/v1/runs?functionName=hello', { blocking: true })).body).toMatchObject({
      output: { version: 'v1' },
    });
    const history = (await call('alice', 'GET', '/v1/function/hello/versions')).body.items ?? [];
    expect(history.map((v) => [v['version'], v['status']])).toEqual([
      [3, 'READY'],
      [2, expect.stringMatching(/RETIR/)],
      [1, expect.stringMatching(/RETIR/)],
    ]);
  }, 60_000);

  it('lists runs newest first, filtered and paginated, and never another org’s', async () => {
    const first = await call('alice', 'GET', '/v1/runs?functionName=fail&pageSize=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body['nextPageToken']).toBeDefined();
    const second = await call('alice', 'GET', `/v1/runs?functionName=fail&pageSize=2&pageToken=${String(first.body['nextPageToken'])}`);
    expect(second.body.items?.[0]['id']).not.toBe(first.body.items?.[1]['id']);
    const failed = await call('alice', 'GET', '/v1/runs?status=TIMED_OUT');
    expect((failed.body.items ?? []).every((r) => r['status'] === 'TIMED_OUT' && r['functionName'] === 'fail')).toBe(true);
    const bobs = (await call('bob', 'GET', '/v1/runs?pageSize=100')).body.items ?? [];
    expect(bobs.every((r) => r['org'] === 'beta' && r['functionName'] === 'slow')).toBe(true);
    expect((await call('bob', 'GET', '/v1/function/hello')).status).toBe(404);
    expect((await call('alice', 'GET', '/v1/runs?status=DONE')).status).toBe(400);
  });

  it('counts runs by status on /metrics', async () => {
    const metrics = await (await fetch(`${api}/metrics`)).text();
    expect(metrics).toMatch(/^dispatch_runs_total\{status="SUCCEEDED",blocking="true",service="dispatch"\} \d+$/m);
    expect(metrics).toMatch(/^dispatch_runs_total\{status="TIMED_OUT",blocking="true",service="dispatch"\} [1-9]/m);
    expect(metrics).toMatch(/^dispatch_run_duration_seconds_count\{[^}]*status="FAILED"[^}]*\} [1-9]/m);
  });

  it('reports usage: runs and GB-seconds of the org', async () => {
    const usage = await call('alice', 'GET', '/v1/iam/usage');
    expect(usage.status).toBe(200);
    expect((usage.body['usage'] as Json)['runs']).toBeGreaterThan(5);
    expect((usage.body['usage'] as Json)['gbSeconds']).toBeGreaterThan(0);
  });

  it('keeps an API to its org: the org that made it reads it, another does not', async () => {
    const created = await call('alice', 'POST', '/v1/api', { name: 'hello-api', function: 'hello', paths: ['/hello'] });
    expect(created.status).toBe(201);
    expect((await call('alice', 'GET', '/v1/api/hello-api')).body).toMatchObject({ name: 'hello-api', function: 'hello' });
    expect((await call('bob', 'GET', '/v1/api/hello-api')).status).toBe(404);
    // The export is the caller's org's APIs only.
    const names = async (user: string) =>
      ((await call(user, 'GET', '/v1/api/export')).body['services'] as Json[]).map((s) => String(s['name']));
    expect(await names('alice')).toContain('acme.hello-api');
    expect((await names('bob')).some((n) => n.endsWith('.hello-api'))).toBe(false);
  });

  describeTenantProbes('functions and runs', () => probe, [
    { method: 'GET', path: '/v1/function' },
    { method: 'POST', path: '/v1/function', body: { name: 'probe', image: 'x' }, write: true },
    { method: 'GET', path: '/v1/function/hello', otherOrgResource: true },
    { method: 'PUT', path: '/v1/function/hello', body: { env: {} }, write: true, otherOrgResource: true },
    { method: 'DELETE', path: '/v1/function/hello', write: true, otherOrgResource: true },
    { method: 'GET', path: '/v1/function/hello/versions', otherOrgResource: true },
    { method: 'POST', path: '/v1/function/hello/rollback', body: { version: 1 }, write: true, otherOrgResource: true },
    { method: 'POST', path: '/v1/runs?functionName=hello', body: { blocking: true }, write: true, otherOrgResource: true },
    { method: 'POST', path: '/v1/function/hello/runs', body: { blocking: true }, write: true, otherOrgResource: true },
    { method: 'GET', path: '/v1/runs' },
    { method: 'GET', path: '/v1/function/hello/runs' },
  ]);

  describeTenantProbes('APIs', () => probe, [
    { method: 'GET', path: '/v1/api' },
    { method: 'GET', path: '/v1/api/export' },
    { method: 'POST', path: '/v1/api', body: { name: 'probe-api', function: 'hello', paths: ['/probe'] }, write: true },
    { method: 'GET', path: '/v1/api/hello-api', otherOrgResource: true },
    { method: 'PUT', path: '/v1/api/hello-api', body: { function: 'hello', paths: ['/moved'] }, write: true, otherOrgResource: true },
    { method: 'DELETE', path: '/v1/api/hello-api', write: true, otherOrgResource: true },
  ]);

  it('keeps READY functions runnable across a restart, with no run left RUNNING', async () => {
    // An async run in flight when the server stops is found after the restart, not left RUNNING.
    const inflight = await call('alice', 'POST', '/v1/runs?functionName=fail', { input: { mode: 'loop' } });
    expect(inflight.status).toBe(202);
    await waitFor(async () => (await call('alice', 'GET', `/v1/runs/${String(inflight.body['id'])}`)).body['status'] === 'RUNNING');
    expect(await server.stop('SIGTERM', 20_000)).toBe(0);
    await start();
    expect(await untilSettled('alice', 'hello')).toMatchObject({ status: 'READY' });
    expect((await call('alice', 'POST', '/v1/runs?functionName=hello', { input: { name: 'again' }, blocking: true })).body).toMatchObject({
      status: 'SUCCEEDED',
      output: { greeting: 'Hello, again' },
    });
    await waitFor(
      async () => {
        const run = (await call('alice', 'GET', `/v1/runs/${String(inflight.body['id'])}`)).body;
        return run['status'] !== 'RUNNING' && run['status'] !== 'INITIALIZED';
      },
      { timeoutMs: 30_000, what: 'the interrupted run to be settled' },
    );
    expect((await call('alice', 'GET', '/v1/runs?status=RUNNING')).body.items).toEqual([]);
  }, 120_000);
});
