import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import type { OpenFaasFunctionStatus } from '@dispatch/contracts';
import { expectOpenFaasBody, waitFor } from '@dispatch/testing';
import type { FaasLocal } from './faas-local';
import { Gateway, deployment, handlerSource, isAlive, removeTempDirs, startTestFaas, tempDir, writeImage } from './test-support/harness';

afterAll(() => removeTempDirs());

/** The gateway routes of faas-local, with real worker processes of the fixture shim. */
describe('faas-local: the OpenFaaS gateway API', () => {
  const imagesRoot = tempDir('faas-local-images-');
  const image = writeImage(imagesRoot, { 'handler.js': handlerSource('v1') });
  let faas: FaasLocal;
  let gw: Gateway;

  beforeAll(async () => {
    process.env['FAAS_LOCAL_TEST_SECRET'] = 'do-not-leak';
    faas = await startTestFaas(imagesRoot, { scaling: { backoffInitialMs: 400, backoffMaxMs: 400 } });
    gw = new Gateway(faas);
  });

  afterAll(async () => {
    delete process.env['FAAS_LOCAL_TEST_SECRET'];
    await faas?.stop();
  });

  it('answers /healthz, /system/info (GatewayInfo of faas-local) and /system/namespaces', async () => {
    expect((await fetch(`${faas.url}/healthz`)).status).toBe(200);
    const info = (await (await gw.system('GET', '/system/info')).json()) as { provider: unknown };
    expectOpenFaasBody('GatewayInfo', info);
    expect(info.provider).toMatchObject({ provider: 'faas-local', orchestration: 'local' });
    const namespaces = await (await gw.system('GET', '/system/namespaces')).json();
    expectOpenFaasBody('ListNamespaceResponse', namespaces);
    expect(namespaces).toContain('openfaas-fn');
  });

  it('deploys (202), becomes available, lists and describes the function by the spec', async () => {
    const res = await gw.system(
      'POST',
      '/system/functions',
      deployment('hello', image, { labels: { 'dispatch.io/org': 'acme' }, memory: '128Mi' }),
    );
    expect(res.status).toBe(202);
    const status = await gw.waitAvailable('hello');
    expect(status).toMatchObject({
      name: 'hello',
      image,
      namespace: 'openfaas-fn',
      replicas: 1,
      availableReplicas: 1,
      invocationCount: 0,
      limits: { memory: '128Mi' },
    });
    expect(status.labels).toMatchObject({ 'dispatch.io/org': 'acme' });
    expect(Date.parse(status.createdAt!)).toBeGreaterThan(Date.now() - 60_000);
    const list = (await (await gw.system('GET', '/system/functions')).json()) as OpenFaasFunctionStatus[];
    expectOpenFaasBody('FunctionList', list);
    expect(list.map((f) => f.name)).toContain('hello');
  });

  it('relays a call: the body as is, the worker status/headers/body, plus X-Call-Id and X-Duration-Seconds', async () => {
    await gw.waitAvailable('hello');
    const res = await gw.call('hello', { name: 'x' }, { 'x-call-id': 'call-123', 'x-custom': 'kept' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-call-id')).toBe('call-123');
    expect(Number(res.headers.get('x-duration-seconds'))).toBeGreaterThan(0);
    const reply = (await res.json()) as { payload: unknown };
    expect(reply.payload).toMatchObject({ version: 'v1', echo: { name: 'x' } });

    const generated = await gw.call('hello', {});
    expect(generated.headers.get('x-call-id')).toMatch(/^[0-9a-f-]{36}$/);

    // Extra path segments and the query string reach the function unchanged, with any method.
    const extra = await fetch(`${faas.url}/function/hello/extra/path?q=1`, { method: 'PUT', body: 'raw', headers: { 'x-custom': 'kept' } });
    expect(extra.status).toBe(200);
    expect(extra.headers.get('x-echo')).toBe('yes');
    const echoed = (await extra.json()) as { headers: Record<string, string> };
    expect(echoed).toMatchObject({ method: 'PUT', url: '/extra/path?q=1', body: 'raw', headers: { 'x-custom': 'kept' } });
    expect(echoed.headers['x-call-id']).toMatch(/^[0-9a-f-]{36}$/);
    // `name.namespace` addresses the same function.
    expect((await fetch(`${faas.url}/function/hello.openfaas-fn`, { method: 'POST', body: '{}' })).status).toBe(200);
    expect((await gw.status('hello'))!.invocationCount).toBeGreaterThanOrEqual(4);
    expect(faas.stats('hello')!.recentDurationsSeconds.length).toBeGreaterThanOrEqual(4);
  });

  it('answers 404 for an unknown function on every route', async () => {
    expect((await gw.call('nope', {})).status).toBe(404);
    expect((await fetch(`${faas.url}/function/hello.other-ns`, { method: 'POST' })).status).toBe(404);
    expect((await gw.system('GET', '/system/function/nope')).status).toBe(404);
    expect((await gw.system('PUT', '/system/functions', deployment('nope', image))).status).toBe(404);
    expect((await gw.system('DELETE', '/system/functions', { functionName: 'nope' })).status).toBe(404);
    expect(
      (await gw.system('POST', '/system/scale-function/nope', { serviceName: 'nope', namespace: 'openfaas-fn', replicas: 1 })).status,
    ).toBe(404);
    expect((await gw.system('GET', '/system/logs?name=nope')).status).toBe(404);
    expect((await fetch(`${faas.url}/async-function/nope`, { method: 'POST' })).status).toBe(404);
  });

  it('refuses bad deployments with a 400 naming the problem, and a second POST of a name with 409', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ service: 'Bad_Name', image }, /DNS-1123/],
      [{ service: 'x1' }, /image is required/],
      [deployment('x2', 'docker.io/library/nginx:1'), /not a local image/],
      [deployment('x3', `local/${'0'.repeat(64)}`), /not found/],
      [deployment('x4', image, { env: { DISPATCH_RUNTIME: 'cobol' } }), /DISPATCH_RUNTIME "cobol" is not a runtime/],
      [deployment('x5', image, { memory: 'lots' }), /limits.memory "lots"/],
      [deployment('x6', image, { memory: '128m' }), /ambiguous/],
      [deployment('x7', image, { env: { exec_timeout: 'forever' } }), /exec_timeout "forever"/],
      [deployment('x8', image, { labels: { 'com.openfaas.scale.min': '3', 'com.openfaas.scale.max': '2' } }), /above/],
      [deployment('x9', image, { labels: { 'com.openfaas.scale.max': 'many' } }), /not a whole number/],
      [deployment('x10', image, { env: { max_inflight: '-1' } }), /max_inflight/],
      [deployment('x11', image, { env: { DISPATCH_HANDLER: '' } }), /DISPATCH_HANDLER is required/],
    ];
    for (const [body, problem] of cases) {
      const res = await gw.system('POST', '/system/functions', body);
      expect({ status: res.status, text: await res.text() }).toEqual({ status: 400, text: expect.stringMatching(problem) });
    }
    const notJson = await fetch(`${faas.url}/system/functions`, { method: 'POST', body: '{nope' });
    expect(notJson.status).toBe(400);
    expect(await notJson.text()).toMatch(/not valid JSON/);
    const again = await gw.system('POST', '/system/functions', deployment('hello', image));
    expect(again.status).toBe(409);
    expect((await gw.system('GET', '/system/function/x2')).status).toBe(404);
  });

  it('gives workers a minimal environment: no variable of the provider leaks, HOME is private', async () => {
    await gw.waitAvailable('hello');
    const { env } = await gw.callJson<{ env: Record<string, string> }>('hello', { action: 'env' });
    expect(env['FAAS_LOCAL_TEST_SECRET']).toBeUndefined();
    expect(env['DISPATCH_HOME']).toBeUndefined();
    expect(env).toMatchObject({ DISPATCH_RUNTIME: 'nodejs', DISPATCH_HANDLER: 'handler.js', DISPATCH_MEMORY_LIMIT_MB: '128' });
    expect(env['DISPATCH_SOCKET']).toMatch(/\.sock$/);
    expect(env['HOME']).not.toBe(process.env['HOME']);
    expect(existsSync(env['DISPATCH_CODE_DIR'])).toBe(true);
  });

  it('serves the workers output and lifecycle as LogEntry lines, with tail and since', async () => {
    await gw.waitAvailable('hello');
    const all = await gw.logs('hello');
    expect(all.map((e) => e.text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^worker starting/),
        expect.stringMatching(/^worker ready in/),
        expect.stringMatching(/^test shim: loaded/),
      ]),
    );
    expect(all[0]).toMatchObject({ name: 'hello', namespace: 'openfaas-fn', instance: expect.stringMatching(/^hello-\d+$/) });
    expect(await gw.logs('hello', '&tail=1')).toHaveLength(1);
    expect(await gw.logs('hello', `&since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toHaveLength(0);
    expect((await gw.system('GET', '/system/logs?name=hello&since=yesterday')).status).toBe(400);
    expect((await gw.system('GET', '/system/logs')).status).toBe(400);
  });

  it('follows the logs (follow=true) as they are written', async () => {
    await gw.waitAvailable('hello');
    const controller = new AbortController();
    const res = await fetch(`${faas.url}/system/logs?name=hello&tail=1&follow=true`, { signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    // A scale-up writes new lifecycle lines while we read.
    expect(
      (await gw.system('POST', '/system/scale-function/hello', { serviceName: 'hello', namespace: 'openfaas-fn', replicas: 2 })).status,
    ).toBe(202);
    while (!/worker ready in/.test(text.split('\n').slice(1).join('\n'))) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
    }
    controller.abort();
    const lines = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as unknown);
    for (const line of lines) expectOpenFaasBody('LogEntry', line);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    await gw.system('POST', '/system/scale-function/hello', { serviceName: 'hello', namespace: 'openfaas-fn', replicas: 1 });
  });

  it('exposes the invocation counts and durations as Prometheus metrics on /metrics', async () => {
    const text = await (await fetch(`${faas.url}/metrics`)).text();
    expect(text).toMatch(/^gateway_function_invocation_total\{function_name="hello.openfaas-fn",code="200"\} \d+$/m);
    expect(text).toMatch(/^gateway_functions_seconds_count\{function_name="hello.openfaas-fn"\} \d+$/m);
  });

  it('reports a handler that cannot load in the logs, keeps it unavailable and does not restart it in a hot loop', async () => {
    await gw.deploy(deployment('broken', image, { handler: 'missing.js' }));
    const entries = await waitFor(
      async () => {
        const logs = await gw.logs('broken');
        return logs.some((e) => /^worker exited with code 3: handler error: cannot load missing\.js/.test(e.text)) && logs;
      },
      { what: 'the handler error in the logs' },
    );
    expect(entries.length).toBeGreaterThan(0);
    const call = await gw.call('broken', {});
    expect(call.status).toBe(503);
    expect(call.headers.get('x-dispatch-failure')).toBe('unavailable');
    expect(await call.text()).toMatch(/cannot start: its worker exited with code 3: handler error/);
    const status = await gw.status('broken');
    expect(status).toMatchObject({ availableReplicas: 0, replicas: 1 });
    // Back-off (400 ms here, doubling in production up to 30 s): the retries are spaced, not a hot loop.
    const starts = await waitFor(
      async () => {
        const times = (await gw.logs('broken')).filter((e) => e.text.startsWith('worker starting')).map((e) => Date.parse(e.timestamp));
        return times.length >= 3 && times;
      },
      { what: 'three attempts to start the broken handler' },
    );
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(390);
  });

  it('deletes a function: in-flight calls finish, queued ones get 410, then it is gone and its workers with it', async () => {
    await gw.deployReady(deployment('doomed', image, { labels: { 'com.openfaas.scale.max': '1' } }));
    const pids = faas.workers('doomed').map((w) => w.pid!);
    const inflight = gw.call('doomed', { action: 'sleep', ms: 400 });
    await waitFor(() => faas.workers('doomed')[0]?.inflight === 1, { what: 'the first call in flight' });
    const queued = gw.call('doomed', { action: 'sleep', ms: 10 });
    await waitFor(() => faas.queued('doomed') === 1, { what: 'the second call to wait in the queue' });
    const res = await gw.system('DELETE', '/system/functions', { functionName: 'doomed' });
    expect(res.status).toBe(200);
    expect((await inflight).status).toBe(200);
    const gone = await queued;
    expect(gone.status).toBe(410);
    expect(gone.headers.get('x-dispatch-failure')).toBe('unavailable');
    expect((await gw.call('doomed', {})).status).toBe(404);
    expect(await gw.status('doomed')).toBeUndefined();
    await waitFor(() => pids.every((pid) => !isAlive(pid)), { what: 'the workers of the deleted function to exit' });
  });

  describe('async calls', () => {
    let receiver: Server;
    let receiverUrl: string;
    const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];

    beforeAll(async () => {
      receiver = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          received.push({ headers: req.headers, body });
          res.end();
        });
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/done`;
    });

    afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

    it('answers 202 at once and POSTs the result to X-Callback-Url with the call headers', async () => {
      await gw.waitAvailable('hello');
      const res = await fetch(`${faas.url}/async-function/hello`, {
        method: 'POST',
        headers: { 'x-callback-url': receiverUrl, 'x-call-id': 'async-1' },
        body: JSON.stringify({ context: {}, payload: { action: 'sleep', ms: 50 } }),
      });
      expect(res.status).toBe(202);
      expect(res.headers.get('x-call-id')).toBe('async-1');
      expect(await res.text()).toBe('');
      const callback = await waitFor(() => received.find((r) => r.headers['x-call-id'] === 'async-1'), { what: 'the callback' });
      expect(callback.headers).toMatchObject({
        'x-function-status': '200',
        'x-function-name': 'hello',
        'content-type': 'application/json',
      });
      expect(Number(callback.headers['x-duration-seconds'])).toBeGreaterThanOrEqual(0.05);
      expect(JSON.parse(callback.body).payload).toMatchObject({ version: 'v1', slept: 50 });
    });

    it('refuses an X-Callback-Url that is not a URL (400) and an unknown function (404)', async () => {
      expect((await fetch(`${faas.url}/async-function/hello`, { method: 'POST', headers: { 'x-callback-url': 'not a url' } })).status).toBe(
        400,
      );
      expect((await fetch(`${faas.url}/async-function/nope`, { method: 'POST', headers: { 'x-callback-url': receiverUrl } })).status).toBe(
        404,
      );
    });
  });
});

describe('faas-local: basic auth', () => {
  const imagesRoot = tempDir('faas-local-images-');
  const image = writeImage(imagesRoot, { 'handler.js': handlerSource('auth') });
  let faas: FaasLocal;

  beforeAll(async () => {
    faas = await startTestFaas(imagesRoot, { basicAuth: { user: 'admin', password: 's3cret' } });
  });
  afterAll(() => faas?.stop());

  it('guards every /system route, and leaves /function, /async-function and /healthz open, as the gateway does', async () => {
    const anonymous = new Gateway(faas);
    const wrong = new Gateway(faas, 'admin:wrong');
    const admin = new Gateway(faas, 'admin:s3cret');
    for (const path of [
      '/system/info',
      '/system/functions',
      '/system/function/guarded',
      '/system/logs?name=guarded',
      '/system/namespaces',
    ]) {
      const res = await anonymous.system('GET', path);
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
      expect((await wrong.system('GET', path)).status).toBe(401);
    }
    expect((await anonymous.system('POST', '/system/functions', deployment('guarded', image))).status).toBe(401);
    await admin.deployReady(deployment('guarded', image));
    expect((await fetch(`${faas.url}/healthz`)).status).toBe(200);
    expect((await anonymous.call('guarded', {})).status).toBe(200);
    expect((await fetch(`${faas.url}/async-function/guarded`, { method: 'POST', body: '{}' })).status).toBe(202);
  });
});

describe('faas-local: stop', () => {
  it('drains, ends every worker and removes its sockets: no process is left behind', async () => {
    const imagesRoot = tempDir('faas-local-images-');
    const image = writeImage(imagesRoot, { 'handler.js': handlerSource('stop') });
    const faas = await startTestFaas(imagesRoot);
    const gw = new Gateway(faas);
    await gw.deployReady(deployment('one', image, { labels: { 'com.openfaas.scale.min': '2' } }), 2);
    await gw.deployReady(deployment('two', image));
    const pids = [...faas.workers('one'), ...faas.workers('two')].map((w) => w.pid!);
    expect(pids).toHaveLength(3);
    expect(pids.every(isAlive)).toBe(true);
    // A call in flight when stop() begins still gets its answer.
    const inflight = gw.call('two', { action: 'sleep', ms: 300 });
    await waitFor(() => faas.workers('two')[0]?.inflight === 1, { what: 'the call in flight' });
    await faas.stop();
    expect((await inflight).status).toBe(200);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(existsSync(faas.workDir)).toBe(false);
    await expect(fetch(`${faas.url}/healthz`)).rejects.toThrow();
  });
});
