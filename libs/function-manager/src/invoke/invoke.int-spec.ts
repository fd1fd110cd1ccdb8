import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { create as createTar } from 'tar';
import {
  createNodeFunction,
  type SoloServer,
  sourceArchive,
  startSoloServer,
  startTestIdp,
  type TestIdp,
  waitFor,
} from '@dispatch/testing';

const SECRET = 'gateway-secret-of-this-suite';
const DISPATCH_HTTP = resolve(__dirname, '../../../../e2e/fixtures/functions/dispatch-http');

/**
 * The invoke route on a real solo server, called as the gateway calls it (with the shared secret
 * and the API's auth kind): requests become runs and runs become answers, with real Node.js and
 * Python functions and tokens of a real OIDC provider.
 */
describe('ANY /v1/invoke/{org}/{function}/*', () => {
  let s: SoloServer;
  let idp: TestIdp;

  const invoke = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(`${s.api}/v1/invoke/default/${path}`, {
      ...init,
      headers: { 'x-dispatch-gateway-secret': SECRET, 'x-dispatch-api': 'my-api', ...init.headers },
    });

  const runsOf = async (fn: string): Promise<{ id: string }[]> =>
    ((await (await fetch(`${s.api}/v1/function/${fn}/runs`, { headers: s.admin })).json()) as { items: { id: string }[] }).items;

  beforeAll(async () => {
    idp = await startTestIdp();
    s = await startSoloServer({
      env: {
        GATEWAY_SHARED_SECRET: SECRET,
        INVOKE_BODY_LIMIT_BYTES: '65536',
        DISPATCH_TRUSTED_ISSUERS: JSON.stringify([idp.trustedIssuer()]),
      },
    });
    await Promise.all([
      createNodeFunction(s, 'echo', await readFile(`${DISPATCH_HTTP}/echo.js`, 'utf8')),
      createNodeFunction(s, 'raw', 'module.exports = (context, payload) => ({ payload, path: context.httpContext.path });'),
      createNodeFunction(
        s,
        'shaped',
        "module.exports = (context, payload) => ({ statusCode: 201, headers: { 'X-Fn': 'yes' }, body: 'made ' + payload.name });",
      ),
      createNodeFunction(s, 'boom', "module.exports = () => { throw new Error('it broke'); };"),
      createNodeFunction(s, 'strict', 'module.exports = (c, p) => p;', {
        inputSchema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      }),
      createNodeFunction(s, 'slow', 'module.exports = () => new Promise((r) => setTimeout(() => r(1), 5000));', { timeoutSeconds: 1 }),
      createNodeFunction(s, 'nap', 'module.exports = (c) => new Promise((r) => setTimeout(() => r({ run: c.runId }), 400));'),
    ]);
    const chunks: Buffer[] = [];
    for await (const chunk of createTar({ gzip: true, cwd: DISPATCH_HTTP, portable: true }, ['http_func.py'])) chunks.push(chunk as Buffer);
    const created = await fetch(`${s.api}/v1/function`, {
      method: 'POST',
      headers: { ...s.admin, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'httppy',
        runtime: 'python3',
        handler: 'http_func.handle',
        source: Buffer.concat(chunks).toString('base64'),
      }),
    });
    expect(created.status).toBe(201);
    await waitFor(
      async () =>
        ((await (await fetch(`${s.api}/v1/function/httppy`, { headers: s.admin })).json()) as { status: string }).status === 'READY',
      { timeoutMs: 60_000, what: 'httppy to be READY' },
    );
  }, 180_000);

  afterAll(async () => {
    await s?.process.stop();
    await idp?.stop();
  });

  it('gives a JSON body to the function parsed, with httpContext as Dispatch functions read it, without credentials', async () => {
    const res = await invoke('echo/a/b?x=1&x=2&y=z', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: 'Bearer secret-token', apikey: 'k', cookie: 'c=1', 'x-custom': 'v' },
      body: JSON.stringify({ name: 'Ada' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { name: string; context: { httpContext: Record<string, unknown> } };
    expect(body.name).toBe('Ada');
    const http = body.context.httpContext;
    expect(http).toMatchObject({
      method: 'PUT',
      path: '/a/b',
      uri: '/a/b',
      args: 'x=1&x=2&y=z',
      query: { x: ['1', '2'], y: 'z' },
      subject: null,
    });
    expect(http['x-custom']).toBe('v');
    expect((http.headers as Record<string, string>)['x-custom']).toBe('v');
    for (const hidden of ['authorization', 'apikey', 'cookie', 'x-dispatch-gateway-secret']) {
      expect(http[hidden]).toBeUndefined();
      expect((http.headers as Record<string, string>)[hidden]).toBeUndefined();
    }
    const run = (await (await fetch(`${s.api}/v1/runs/${res.headers.get('x-dispatch-run-id')}`, { headers: s.admin })).json()) as {
      trigger: unknown;
    };
    expect(run.trigger).toEqual({ kind: 'api', id: 'my-api' });
  });

  it('gives text as a string, binary as base64, and the query of a GET without body as the payload', async () => {
    const text = await invoke('raw/t', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi there' });
    expect(await text.json()).toEqual({ payload: 'hi there', path: '/t' });
    const bin = await invoke('raw', { method: 'POST', headers: { 'content-type': 'image/png' }, body: Buffer.from([0, 1, 2, 255]) });
    expect(await bin.json()).toEqual({ payload: { contentType: 'image/png', base64: 'AAEC/w==' }, path: '/' });
    const get = await invoke('raw?name=vmware&place=PaloAlto');
    expect(await get.json()).toEqual({ payload: { name: 'vmware', place: 'PaloAlto' }, path: '/' });
    const bad = await invoke('raw', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('INVALID_JSON');
  });

  it('refuses a body over INVOKE_BODY_LIMIT_BYTES, and other routes still refuse bodies that are not JSON', async () => {
    const under = await invoke('raw', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'a'.repeat(65_000) });
    expect(under.status).toBe(200);
    const over = await invoke('raw', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'a'.repeat(70_000) });
    expect(over.status).toBe(413);
    expect(((await over.json()) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE');
    const elsewhere = await fetch(`${s.api}/v1/function/raw/runs`, {
      method: 'POST',
      headers: { ...s.admin, 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(elsewhere.status).toBe(415);
    expect(((await elsewhere.json()) as { code: string }).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it("answers with the function's {statusCode, headers, body}", async () => {
    const res = await invoke('shaped', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-fn')).toBe('yes');
    expect(await res.text()).toBe('made x');
  });

  it('answers InputError 400, FunctionError 502 and a timeout 504 with the error body', async () => {
    const input = await invoke('strict', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(input.status).toBe(400);
    expect(await input.json()).toMatchObject({ code: 'INPUT_REJECTED', requestId: expect.any(String), details: { type: 'InputError' } });
    const failed = await invoke('boom', { method: 'POST' });
    expect(failed.status).toBe(502);
    const failure = (await failed.json()) as { code: string; message: string; details: { runId: string } };
    expect(failure).toMatchObject({ code: 'FUNCTION_FAILED', details: { type: 'FunctionError' } });
    expect(failure.message).toContain('it broke');
    expect(failed.headers.get('x-dispatch-run-id')).toBe(failure.details.runId);
    const slow = await invoke('slow');
    expect(slow.status).toBe(504);
    expect(((await slow.json()) as { code: string }).code).toBe('FUNCTION_TIMED_OUT');
  });

  it('answers 503 with Retry-After while the function is not ready, and 404 for no function', async () => {
    const created = await fetch(`${s.api}/v1/function`, {
      method: 'POST',
      headers: { ...s.admin, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'fresh',
        runtime: 'nodejs',
        handler: 'index.js',
        source: await sourceArchive({ 'index.js': 'module.exports = () => 1;' }),
      }),
    });
    expect(created.status).toBe(201);
    const res = await invoke('fresh');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(((await res.json()) as { code: string }).code).toBe('FUNCTION_STARTING');
    expect((await invoke('nosuch')).status).toBe(404);
  });

  it('refuses a caller without the shared secret', async () => {
    for (const headers of [{}, { 'x-dispatch-gateway-secret': 'wrong-secret-of-some-length' }] as Record<string, string>[]) {
      const res = await fetch(`${s.api}/v1/invoke/default/echo`, { headers });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe('UNAUTHENTICATED');
    }
    expect(await runsOf('echo')).toHaveLength(1);
  });

  it('audits refused invocations but not allowed ones, whose record is their run', async () => {
    expect((await invoke('echo', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(200);
    const refused = await fetch(`${s.api}/v1/invoke/default/echo`, { method: 'POST', headers: { 'x-request-id': 'refused-invoke' } });
    expect(refused.status).toBe(401);
    type Page = { items: { route: string; result: string }[] };
    const audit = async (query: string) =>
      ((await (await fetch(`${s.api}/v1/iam/audit?${query}`, { headers: s.admin })).json()) as Page).items.filter((e) =>
        e.route.startsWith('/v1/invoke'),
      );
    // The refused one arrives (the log is written over the bus); the allowed one, before it, never does.
    await waitFor(async () => (await audit('anonymous=true&pageSize=100')).some((e) => e.result === 'UNAUTHENTICATED'), {
      timeoutMs: 10_000,
      what: 'the refused invocation to be audited',
    });
    // An allowed invocation has no principal of the platform's (its caller is the API's): it would be among these.
    expect((await audit('anonymous=true&pageSize=100')).map((e) => e.result)).not.toContain('allowed');
    expect(await audit('pageSize=100')).toEqual([]);
  });

  it("checks an idp-token API's token with the platform's verifier and its org", async () => {
    const idpToken = { 'x-dispatch-auth': 'idp-token' };
    const mine = await idp.issueToken({ subject: 'ada', org: 'default', groups: [] });
    const ok = await invoke('echo', { headers: { ...idpToken, authorization: `Bearer ${mine}` } });
    expect(ok.status).toBe(200);
    const http = ((await ok.json()) as { context: { httpContext: Record<string, unknown> } }).context.httpContext;
    expect(http.subject).toBe('ada');
    expect(http.authorization).toBeUndefined();
    const theirs = await idp.issueToken({ subject: 'bob', org: 'beta', groups: [] });
    expect((await invoke('echo', { headers: { ...idpToken, authorization: `Bearer ${theirs}` } })).status).toBe(403);
    expect((await invoke('echo', { headers: idpToken })).status).toBe(401);
    expect((await invoke('echo', { headers: { ...idpToken, authorization: 'Bearer a.b.c' } })).status).toBe(401);
  });

  it("checks an api-key API's key against the org's keys, and stops a revoked one", async () => {
    const created = await fetch(`${s.api}/v1/iam/apikeys`, {
      method: 'POST',
      headers: { ...s.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'shop', role: 'viewer' }),
    });
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    const keyed = { 'x-dispatch-auth': 'api-key' };
    const ok = await invoke('echo', { headers: { ...keyed, apikey: key } });
    expect(ok.status).toBe(200);
    const http = ((await ok.json()) as { context: { httpContext: Record<string, unknown> } }).context.httpContext;
    expect(http.subject).toBe('shop');
    expect(http.apikey).toBeUndefined();
    // What Kong's key-auth would have named is no credential here.
    expect((await invoke('echo', { headers: { ...keyed, 'x-consumer-username': 'shop' } })).status).toBe(401);
    expect((await fetch(`${s.api}/v1/iam/apikeys/shop`, { method: 'DELETE', headers: s.admin })).status).toBeLessThan(300);
    await waitFor(async () => (await invoke('echo', { headers: { ...keyed, apikey: key } })).status === 401, {
      timeoutMs: 10_000,
      what: 'the revoked key to be refused',
    });
  });

  it('runs a Dispatch http_func.py-style Python function unchanged', async () => {
    const res = await invoke('httppy/p?q=1', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'curl/8', 'x-trace': 't1' },
      body: 'name=VMware&place=Palo+Alto',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 200,
      method: 'POST',
      uri: '/p',
      args: 'q=1',
      agent: 'curl/8',
      headers: { 'x-trace': 't1' },
      content: { name: 'VMware', place: 'Palo Alto' },
    });
  });

  it('answers a repeat with the same Idempotency-Key with the first run, running once even when concurrent', async () => {
    const before = (await runsOf('nap')).length;
    const headers = { 'idempotency-key': 'k-1', 'content-type': 'application/json' };
    const answers = await Promise.all([1, 2, 3].map(() => invoke('nap', { method: 'POST', headers, body: '{"a":1}' })));
    const ids = answers.map((a) => a.headers.get('x-dispatch-run-id'));
    expect(new Set(ids).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(2);
    const bodies = await Promise.all(answers.map((a) => a.json()));
    expect(bodies).toEqual([bodies[0], bodies[0], bodies[0]]);
    const again = await invoke('nap', { method: 'POST', headers, body: '{"a":1}' });
    expect(again.headers.get('x-dispatch-run-id')).toBe(ids[0]);
    expect((await runsOf('nap')).length).toBe(before + 1);
    const other = await invoke('nap', { method: 'POST', headers, body: '{"a":2}' });
    expect(other.status).toBe(422);
    expect(((await other.json()) as { code: string }).code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('takes an Idempotency-Key on POST /v1/runs too', async () => {
    const post = () =>
      fetch(`${s.api}/v1/function/raw/runs`, {
        method: 'POST',
        headers: { ...s.admin, 'content-type': 'application/json', 'idempotency-key': 'run-key' },
        body: JSON.stringify({ input: { n: 1 }, blocking: true }),
      });
    const first = (await (await post()).json()) as { id: string };
    const second = await post();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(((await second.json()) as { id: string }).id).toBe(first.id);
    const bad = await fetch(`${s.api}/v1/runs?functionName=raw`, {
      method: 'POST',
      headers: { ...s.admin, 'content-type': 'application/json', 'idempotency-key': 'has space' },
      body: JSON.stringify({ blocking: true }),
    });
    expect(bad.status).toBe(400);
  });
});
