import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { ErrorCode, type OpenFaasFunctionDeployment, type OpenFaasLogEntry } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';
import { expectOpenFaasBody } from '@dispatch/testing';
import { isProviderTimeout, OpenFaasClient, ProviderTimeoutError, type OpenFaasBodyKind, type OpenFaasClientOptions } from './index';
import { startSpecGateway, type SpecGateway } from './test-support/spec-gateway';

const AUTH = { user: 'admin', password: 'pw-7c1e9f0a' };
const AUTH_HEADER = `Basic ${Buffer.from(`${AUTH.user}:${AUTH.password}`).toString('base64')}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const hello: OpenFaasFunctionDeployment = {
  service: 'hello',
  image: 'dispatch.local/hello:1',
  envProcess: 'node index.js',
  envVars: { max_inflight: '4', exec_timeout: '30s' },
  labels: { 'com.openfaas.scale.min': '1' },
  annotations: null,
  limits: { memory: '128M' },
};

let gateway: SpecGateway;
const clients: OpenFaasClient[] = [];
/** Every body the client sent or read, by schema name: the hook tests use for contract checks. */
let checked: { kind: OpenFaasBodyKind; direction: string }[];

function client(options: Partial<OpenFaasClientOptions> = {}): OpenFaasClient {
  const c = new OpenFaasClient({
    baseUrl: gateway.url,
    basicAuth: AUTH,
    validateBodies: (kind, body, direction) => {
      checked.push({ kind, direction });
      expectOpenFaasBody(kind, body);
    },
    ...options,
  });
  clients.push(c);
  return c;
}

async function rejection(promise: Promise<unknown>): Promise<DispatchError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof DispatchError)) throw new Error(`expected a DispatchError, got ${String(err)}`);
  return err;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

const last = () => gateway.requests[gateway.requests.length - 1];
const sentJson = () => JSON.parse(last().body.toString('utf8')) as unknown;

beforeEach(async () => {
  gateway = await startSpecGateway({ basicAuth: AUTH });
  checked = [];
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  const problems = gateway.ownProblems;
  await gateway.stop();
  expect(problems).toEqual([]);
});

describe('OpenFaasClient system routes (ENDPOINTS.md)', () => {
  it('deploys with POST /system/functions (202), then reads status, list and find', async () => {
    const c = client();
    await c.deploy(hello);
    expect(last()).toMatchObject({ method: 'POST', path: '/system/functions' });
    expect(last().headers['content-type']).toBe('application/json');
    expect(sentJson()).toEqual(hello);

    const status = await c.status('hello');
    expect(last()).toMatchObject({ method: 'GET', path: '/system/function/hello', query: {} });
    expect(status).toMatchObject({
      name: 'hello',
      image: hello.image,
      namespace: 'openfaas-fn',
      replicas: 1,
      availableReplicas: 1,
      envProcess: 'node index.js',
    });

    expect((await c.list()).map((f) => f.name)).toEqual(['hello']);
    expect(last()).toMatchObject({ method: 'GET', path: '/system/functions' });
    expect(await c.find('hello')).toMatchObject({ name: 'hello' });
    expect(await c.find('nope')).toBeUndefined();
    expect(gateway.rejected).toEqual([]);
    expect(checked).toEqual([
      { kind: 'FunctionDeployment', direction: 'request' },
      { kind: 'FunctionStatus', direction: 'response' },
      { kind: 'FunctionList', direction: 'response' },
      { kind: 'FunctionStatus', direction: 'response' },
    ]);
  });

  it('answers NOT_FOUND, saying what to do, for status/update/remove/scale/logs of an unknown function', async () => {
    const c = client();
    for (const call of [
      c.status('ghost'),
      c.update({ service: 'ghost', image: 'x' }),
      c.remove('ghost'),
      c.scale('ghost', 2),
      c.logs('ghost'),
    ]) {
      const err = await rejection(call);
      expect(err.code).toBe(ErrorCode.NOT_FOUND);
      expect(err.message).toBe(
        `function ghost not found on the provider at ${gateway.url}: deploy it first, or check its name and namespace`,
      );
      expect(err.httpStatus).toBe(404);
    }
    expect(gateway.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /system/function/ghost',
      'PUT /system/functions',
      'DELETE /system/functions',
      'POST /system/scale-function/ghost',
      'GET /system/logs',
    ]);
    expect(gateway.rejected).toEqual([]);
  });

  it('updates with PUT (200), scales with POST /system/scale-function (202) and removes with DELETE (200)', async () => {
    const c = client();
    await c.deploy(hello);
    await c.update({ ...hello, image: 'dispatch.local/hello:2' });
    expect(last()).toMatchObject({ method: 'PUT', path: '/system/functions' });
    expect((await c.status('hello')).image).toBe('dispatch.local/hello:2');

    await c.scale('hello', 0);
    expect(last()).toMatchObject({ method: 'POST', path: '/system/scale-function/hello' });
    // namespace is required by the API; "" = the provider's default, as faas-netes reads it
    expect(sentJson()).toEqual({ serviceName: 'hello', namespace: '', replicas: 0 });
    expect(await c.status('hello')).toMatchObject({ replicas: 0, availableReplicas: 0 });

    await c.remove('hello');
    expect(last()).toMatchObject({ method: 'DELETE', path: '/system/functions' });
    expect(sentJson()).toEqual({ functionName: 'hello' });
    expect(await c.list()).toEqual([]);
    expect(gateway.rejected).toEqual([]);
    expect(checked.filter((x) => x.direction === 'request').map((x) => x.kind)).toEqual([
      'FunctionDeployment',
      'FunctionDeployment',
      'ScaleServiceRequest',
      'DeleteFunctionRequest',
    ]);
  });

  it('refuses a bad name or replica count before sending anything', async () => {
    const c = client();
    for (const call of [
      c.status('../system/info'),
      c.deploy({ service: 'Hello_World', image: 'x' }),
      c.scale('hello', -1),
      c.scale('hello', 1.5),
      c.invoke('a/b', '', { timeoutMs: 1000 }),
    ]) {
      expect((await rejection(call)).code).toBe(ErrorCode.VALIDATION_FAILED);
    }
    expect(gateway.requests).toEqual([]);
  });

  it('sends the configured namespace wherever the API takes one', async () => {
    const c = client({ namespace: 'team-a' });
    await c.deploy(hello);
    expect(sentJson()).toEqual({ ...hello, namespace: 'team-a' });
    await c.list();
    expect(last().query).toEqual({ namespace: 'team-a' });
    await c.status('hello');
    expect(last().query).toEqual({ namespace: 'team-a' });
    await c.scale('hello', 3);
    expect(sentJson()).toEqual({ serviceName: 'hello', namespace: 'team-a', replicas: 3 });
    await c.logs('hello', { tail: 5 });
    expect(last().query).toEqual({ name: 'hello', namespace: 'team-a', tail: '5' });
    const call = await c.invoke('hello', 'x', { timeoutMs: 2000 });
    expect(call.status).toBe(200);
    expect(last().path).toBe('/function/hello.team-a');
    await c.invokeAsync('hello', 'x', { callbackUrl: 'http://127.0.0.1:1/cb' });
    expect(last().path).toBe('/async-function/hello.team-a');
    await c.remove('hello');
    expect(sentJson()).toEqual({ functionName: 'hello', namespace: 'team-a' });
    expect(gateway.functions.size).toBe(0);
    expect(gateway.rejected).toEqual([]);
  });

  it('reads NDJSON logs with tail and since, dropping a cut-off last line', async () => {
    const c = client();
    await c.deploy(hello);
    const entries: OpenFaasLogEntry[] = ['one', 'two', 'three'].map((text, i) => ({
      name: 'hello',
      namespace: 'openfaas-fn',
      instance: 'hello-7d9f-1',
      timestamp: `2026-11-23T10:00:0${i}Z`,
      text,
    }));
    gateway.setLogs('hello', entries, { cutLastLine: true });
    expect(await c.logs('hello')).toEqual(entries);
    expect(last()).toMatchObject({ method: 'GET', path: '/system/logs', query: { name: 'hello' } });
    expect(last().headers.accept).toBe('application/x-ndjson');

    const since = new Date('2026-11-23T10:00:01Z');
    expect((await c.logs('hello', { tail: 1, since, instance: 'hello-7d9f-1' })).map((e) => e.text)).toEqual(['three']);
    expect(last().query).toEqual({ name: 'hello', tail: '1', since: since.toISOString(), instance: 'hello-7d9f-1' });
    expect(checked.filter((x) => x.kind === 'LogEntry')).toHaveLength(4);

    gateway.failNext({ path: /logs/, status: 200, body: 'this is not ndjson\n{}' });
    const err = await rejection(c.logs('hello'));
    expect(err.code).toBe(ErrorCode.PROVIDER_ERROR);
    expect(err.message).toMatch(/not NDJSON: line 1 is not JSON/);
  });

  it('reads /system/info and /healthz', async () => {
    const c = client();
    const info = await c.info();
    expect(info).toMatchObject({ arch: 'x86_64', provider: { provider: 'spec-gateway' }, version: { release: '0.8.12' } });
    await c.healthz();
    expect(last()).toMatchObject({ method: 'GET', path: '/healthz' });
    expect(checked).toEqual([{ kind: 'GatewayInfo', direction: 'response' }]);
  });
});

describe('OpenFaasClient credentials', () => {
  it('sends basic auth on /system/* only: never on /healthz, /function/*, /async-function/* (the gateway forwards headers to the function)', async () => {
    const c = client();
    await c.deploy(hello);
    await c.status('hello');
    await c.info();
    await c.healthz();
    await c.invoke('hello', '{}', { timeoutMs: 2000 });
    await c.invokeAsync('hello', '{}', { callbackUrl: 'http://127.0.0.1:1/cb' });
    const auth = gateway.requests.map((r) => [r.path, r.headers.authorization]);
    expect(auth).toEqual([
      ['/system/functions', AUTH_HEADER],
      ['/system/function/hello', AUTH_HEADER],
      ['/system/info', AUTH_HEADER],
      ['/healthz', undefined],
      ['/function/hello', undefined],
      ['/async-function/hello', undefined],
    ]);
  });

  it('takes credentials from the URL userinfo, and never shows them', async () => {
    const url = new URL(gateway.url);
    url.username = AUTH.user;
    url.password = AUTH.password;
    const c = client({ baseUrl: url.toString(), basicAuth: undefined });
    expect(c.baseUrl).toBe(gateway.url);
    await c.info();
    expect(last().headers.authorization).toBe(AUTH_HEADER);
  });

  it('maps 401 (wrong or missing credentials) to PROVIDER_ERROR without echoing them', async () => {
    for (const basicAuth of [{ user: 'admin', password: 'wrong-password-42' }, undefined]) {
      const err = await rejection(client({ basicAuth }).deploy(hello));
      expect(err.code).toBe(ErrorCode.PROVIDER_ERROR);
      expect(err.message).toBe(
        `the provider at ${gateway.url} rejected the gateway credentials (HTTP 401) when asked to deploy function hello: check the basic-auth user and password configured for the OpenFaaS gateway`,
      );
      expect(JSON.stringify(err.details)).not.toMatch(/wrong-password-42|Basic/);
    }
  });
});

describe('OpenFaasClient error mapping', () => {
  it('maps a 400 refusal to PROVIDER_ERROR carrying the provider message', async () => {
    const plain = client({ validateBodies: undefined });
    await plain.deploy(hello);
    const dup = await rejection(plain.deploy(hello));
    expect(dup.code).toBe(ErrorCode.PROVIDER_ERROR);
    expect(dup.message).toBe(
      `the provider at ${gateway.url} refused to deploy function hello (HTTP 400): function hello already exists, update it instead; change what it names and retry`,
    );
    expect(dup.details).toMatchObject({ status: 400, providerMessage: 'function hello already exists, update it instead' });

    // a body the schema refuses: without contract checks the provider says why
    const bad = await rejection(plain.deploy({ service: 'other', image: '' }));
    expect(bad.code).toBe(ErrorCode.PROVIDER_ERROR);
    expect(bad.message).toMatch(
      /refused to deploy function other \(HTTP 400\): invalid FunctionDeployment: \/image must NOT have fewer than 1 characters/,
    );
    expect(gateway.rejected).toEqual([
      { method: 'POST', path: '/system/functions', problems: ['/image must NOT have fewer than 1 characters'] },
    ]);
  });

  it('lets a test catch a non-conforming body before it is sent (validateBodies)', async () => {
    const c = client();
    await expect(c.deploy({ service: 'other', image: '' })).rejects.toThrow(
      /not a valid OpenFaaS FunctionDeployment: \/image must NOT have fewer than 1 characters/,
    );
    expect(gateway.requests).toEqual([]);
  });

  it('maps 5xx: 500 → PROVIDER_ERROR with its text, 502/503/504 → SERVICE_UNAVAILABLE', async () => {
    const c = client();
    gateway.failNext({ status: 500, body: 'unable to create deployment: quota exceeded' });
    const failed = await rejection(c.deploy(hello));
    expect(failed.code).toBe(ErrorCode.PROVIDER_ERROR);
    expect(failed.message).toBe(
      `the provider at ${gateway.url} failed to deploy function hello (HTTP 500): unable to create deployment: quota exceeded; see the provider's logs`,
    );
    for (const status of [502, 503, 504]) {
      gateway.failNext({ status, body: 'upstream down' });
      const err = await rejection(c.list());
      expect(err.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
      expect(err.message).toMatch(
        new RegExp(`is unavailable \\(HTTP ${status}\\) and could not list functions: upstream down; retry later`),
      );
    }
  });

  it('maps a 404 on a route (not a function) to PROVIDER_ERROR: the URL is not a gateway', async () => {
    gateway.failNext({ path: /info/, status: 404, body: '404 page not found' });
    const err = await rejection(client().info());
    expect(err.code).toBe(ErrorCode.PROVIDER_ERROR);
    expect(err.message).toMatch(
      /has no such route \(HTTP 404\) to read the gateway info: check that the URL points at an OpenFaaS gateway/,
    );
  });

  it('maps a 2xx body that is not the documented JSON to PROVIDER_ERROR', async () => {
    gateway.failNext({ path: /info/, status: 200, body: '<html>hello</html>' });
    const err = await rejection(client().info());
    expect(err.code).toBe(ErrorCode.PROVIDER_ERROR);
    expect(err.message).toMatch(/answered a body that is not the OpenFaaS gateway's when asked to read the gateway info \(not JSON\)/);
  });

  it('maps connection refused to SERVICE_UNAVAILABLE, for system calls and invoke alike', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const c = client({ baseUrl: url });
    for (const call of [
      c.list(),
      c.invoke('hello', 'x', { timeoutMs: 2000 }),
      c.invokeAsync('hello', 'x', { callbackUrl: 'http://127.0.0.1:1/' }),
    ]) {
      const err = await rejection(call);
      expect(err.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
      expect(err.message).toBe(
        `function provider at ${url} is not reachable (ECONNREFUSED): check that it is running and that its URL is right`,
      );
    }
  });

  it('maps a reset connection to SERVICE_UNAVAILABLE', async () => {
    const c = client();
    await c.deploy(hello);
    gateway.failNext({ path: /system/, reset: true });
    expect((await rejection(c.status('hello'))).code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    gateway.failNext({ path: /function/, reset: true });
    const err = await rejection(c.invoke('hello', 'x', { timeoutMs: 2000 }));
    expect(err.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    expect(err.message).toMatch(/is not reachable \(ECONNRESET\)/);
  });

  it('times out system calls after timeoutMs with a recognisable ProviderTimeoutError', async () => {
    const c = client({ timeoutMs: 150 });
    gateway.failNext({ hang: true });
    const started = Date.now();
    const err = await rejection(c.list());
    expect(Date.now() - started).toBeLessThan(2000);
    expect(err).toBeInstanceOf(ProviderTimeoutError);
    expect(isProviderTimeout(err)).toBe(true);
    expect(err.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    expect(err.details).toEqual({ failure: 'timeout', timeoutMs: 150, provider: gateway.url });
    expect(err.message).toBe(
      `the provider at ${gateway.url} did not answer within 150 ms when asked to list functions: retry, or allow it more time`,
    );
  });
});

describe('OpenFaasClient.invoke', () => {
  it('relays any status, the headers and the body, and the X-Call-Id it generated', async () => {
    const c = client();
    await c.deploy(hello);
    const binary = Buffer.from([0, 1, 2, 250, 255]);
    gateway.onInvoke('hello', () => ({
      status: 418,
      headers: {
        'Content-Type': 'application/octet-stream',
        'X-Custom': 'yes',
        'Set-Cookie': ['a=1', 'b=2'],
        [`X-Dispatch-Failure`]: 'memory',
      },
      body: binary,
    }));
    const result = await c.invoke('hello', Buffer.from('{"name":"x"}'), {
      timeoutMs: 2000,
      headers: { 'Content-Type': 'application/json', 'X-Run-Id': 'run-1' },
    });
    expect(result.status).toBe(418);
    expect(result.body.equals(binary)).toBe(true);
    expect(result.headers['x-custom']).toBe('yes');
    expect(result.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(result.callId).toMatch(UUID);
    expect(result.durationSeconds).toBe(0.0015);
    expect(result.failure).toBe('memory');

    const sent = last();
    expect(sent).toMatchObject({ method: 'POST', path: '/function/hello' });
    expect(sent.body.toString()).toBe('{"name":"x"}');
    expect(sent.headers).toMatchObject({
      'content-type': 'application/json',
      'x-run-id': 'run-1',
      'content-length': '12',
      'x-call-id': result.callId,
    });
  });

  it('forwards a caller X-Call-Id, accepts a string body, ignores unknown failure words', async () => {
    const c = client();
    await c.deploy(hello);
    gateway.onInvoke('hello', (r) => ({ status: 500, headers: { 'X-Dispatch-Failure': 'gremlins' }, body: `échec ${r.body.toString()}` }));
    const result = await c.invoke('hello', 'ça', { timeoutMs: 2000, headers: { 'x-call-id': 'call-42' } });
    expect(result).toMatchObject({ status: 500, callId: 'call-42' });
    expect(result.failure).toBeUndefined();
    expect(result.body.toString()).toBe('échec ça');
    expect(last().headers['content-length']).toBe(String(Buffer.byteLength('ça')));
  });

  it("returns the provider's own 404 for an unknown function instead of throwing: the caller decides", async () => {
    const result = await client().invoke('ghost', '', { timeoutMs: 2000 });
    expect(result.status).toBe(404);
    expect(result.body.toString()).toMatch(/error finding function ghost/);
  });

  it('throws ProviderTimeoutError when the function does not answer in time', async () => {
    const c = client();
    await c.deploy(hello);
    gateway.failNext({ path: /^\/function\//, hang: true });
    const err = await rejection(c.invoke('hello', 'x', { timeoutMs: 200 }));
    expect(isProviderTimeout(err)).toBe(true);
    expect(err.details).toEqual({ failure: 'timeout', timeoutMs: 200, provider: gateway.url });
    expect(err.message).toMatch(/did not answer within 200 ms when asked to call function hello/);
    // the client stays usable: the timed-out socket was dropped, not reused
    expect((await c.invoke('hello', 'again', { timeoutMs: 2000 })).body.toString()).toBe('again');
  });

  it("rejects with the signal's reason when the caller aborts", async () => {
    const c = client();
    await c.deploy(hello);
    gateway.failNext({ path: /^\/function\//, hang: true });
    const controller = new AbortController();
    const reason = new Error('run cancelled');
    setTimeout(() => controller.abort(reason), 50);
    await expect(c.invoke('hello', 'x', { timeoutMs: 5000, signal: controller.signal })).rejects.toBe(reason);
    await expect(c.invoke('hello', 'x', { timeoutMs: 5000, signal: controller.signal })).rejects.toBe(reason);
  });

  it('fails a response larger than maxResponseBytes with PROVIDER_ERROR', async () => {
    const c = client({ maxResponseBytes: 1024 });
    await c.deploy(hello);
    gateway.onInvoke('hello', () => ({ status: 200, body: Buffer.alloc(64 * 1024, 1) }));
    const err = await rejection(c.invoke('hello', 'x', { timeoutMs: 2000 }));
    expect(err.code).toBe(ErrorCode.PROVIDER_ERROR);
    expect(err.message).toMatch(/larger than 1024 bytes/);
  });
});

describe('OpenFaasClient.invokeAsync', () => {
  it('POSTs /async-function/{name} with X-Callback-Url and answers the call id of the 202', async () => {
    const c = client();
    const { callId } = await c.invokeAsync('hello', '{"a":1}', {
      callbackUrl: 'http://127.0.0.1:9/callback?run=1',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(callId).toMatch(UUID);
    expect(last()).toMatchObject({ method: 'POST', path: '/async-function/hello' });
    expect(last().headers).toMatchObject({
      'x-callback-url': 'http://127.0.0.1:9/callback?run=1',
      'x-call-id': callId,
      'content-type': 'application/json',
    });
    expect(last().body.toString()).toBe('{"a":1}');
    // exactly the caller's headers reach the function, plus the gateway's two
    expect(Object.keys(last().headers).sort()).toEqual([
      'connection',
      'content-length',
      'content-type',
      'host',
      'x-call-id',
      'x-callback-url',
    ]);
    expect((await c.invokeAsync('hello', Buffer.from('x'), { callbackUrl: 'http://a/', headers: { 'X-Call-Id': 'mine' } })).callId).toBe(
      'mine',
    );
  });

  it('refuses a callback that is not a URL before sending, and maps a refusal of the provider', async () => {
    const c = client();
    for (const callbackUrl of ['not a url', 'ftp://host/cb', '/relative']) {
      expect((await rejection(c.invokeAsync('hello', '', { callbackUrl }))).code).toBe(ErrorCode.VALIDATION_FAILED);
    }
    expect(gateway.requests).toEqual([]);
    gateway.failNext({ status: 500, body: 'queue unavailable' });
    const err = await rejection(c.invokeAsync('hello', '', { callbackUrl: 'http://a/' }));
    expect(err.code).toBe(ErrorCode.PROVIDER_ERROR);
    expect(err.message).toMatch(/failed to queue a call of function hello \(HTTP 500\): queue unavailable/);
  });
});

describe('OpenFaasClient connections and logging', () => {
  it('keeps one socket alive across sequential system calls and invocations', async () => {
    const c = client();
    await c.deploy(hello);
    for (let i = 0; i < 3; i++) {
      await c.status('hello');
      await c.invoke('hello', `call ${i}`, { timeoutMs: 2000 });
    }
    await c.invokeAsync('hello', 'x', { callbackUrl: 'http://a/' });
    await c.list();
    expect(gateway.requests).toHaveLength(9);
    expect(new Set(gateway.requests.map((r) => r.socket))).toEqual(new Set([gateway.requests[0].socket]));
  });

  it('logs each system call at debug, without bodies or credentials', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    const c = client({ logger: pino({ level: 'debug' }, sink) });
    await c.deploy({ ...hello, envVars: { API_TOKEN: 'tok-secret-123' } });
    await c.invoke('hello', 'payload-secret-456', { timeoutMs: 2000 });
    await rejection(c.status('ghost'));
    const log = lines.join('');
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ level: 20, method: 'POST', path: '/system/functions', status: 202 }),
      expect.objectContaining({ level: 20, method: 'GET', path: '/system/function/ghost', status: 404 }),
    ]);
    for (const secret of ['tok-secret-123', 'payload-secret-456', AUTH.password, AUTH_HEADER]) expect(log).not.toContain(secret);
  });
});
