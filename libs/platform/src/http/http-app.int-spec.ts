import { Body, Controller, Get, Module, Param, Post, Query } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { ErrorCode } from '@dispatch/contracts';
import { waitFor } from '@dispatch/testing';
import { createLogger } from '../logging/logger';
import { PlatformModule } from '../platform.module';
import { ReadinessChecks } from '../health/readiness';
import { DispatchError } from '../errors/dispatch-error';
import { baseConfigSchema, loadConfig } from '../config/config';
import { createHttpApp } from './create-http-app';

@Controller('v1/echo')
class EchoController {
  @Post()
  echo(@Body() body: unknown) {
    return { got: body };
  }
  @Get('boom')
  boom() {
    throw new Error('secret internals at /srv/x.ts:12');
  }
  @Get('item/:name')
  item(@Param('name') name: string, @Query() query: unknown) {
    return { name, query };
  }
  @Get('conflict')
  conflict() {
    throw new DispatchError(ErrorCode.NAME_CONFLICT, 'name "a" is taken; choose another name', { name: 'a' });
  }
}

describe('HTTP app (real Fastify on loopback)', () => {
  let app: NestFastifyApplication;
  let base: string;
  let ready = true;
  const logLines: string[] = [];

  beforeAll(async () => {
    const config = loadConfig(baseConfigSchema, { BODY_LIMIT_BYTES: '2048' });
    const sink = new Writable({
      write(chunk, _enc, cb) {
        logLines.push(String(chunk));
        cb();
      },
    });
    const logger = createLogger({ level: 'info', name: 'test', destination: sink });
    @Module({ imports: [PlatformModule.forRoot({ serviceName: 'test', config, logger })], controllers: [EchoController] })
    class TestModule {}
    app = await createHttpApp(TestModule, { config, logger, title: 'test', version: '0' });
    app.get(ReadinessChecks).register('fake-store', async () => {
      if (!ready) throw new Error('connection refused');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address() as { port: number };
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => app.close());

  const post = (body: string, type = 'application/json') =>
    fetch(`${base}/v1/echo`, { method: 'POST', body, headers: { 'content-type': type } });

  it('serves a JSON route and echoes a request id', async () => {
    const res = await fetch(`${base}/v1/echo`, {
      method: 'POST',
      body: JSON.stringify({ a: 1 }),
      headers: { 'content-type': 'application/json', 'x-request-id': 'abc-123' },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    expect(await res.json()).toEqual({ got: { a: 1 } });
  });

  it('answers an unknown route with 404 ROUTE_NOT_FOUND in the error shape', async () => {
    const res = await fetch(`${base}/v1/nope`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { requestId: string };
    expect(body).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
    expect(typeof body.requestId).toBe('string');
    expect(res.headers.get('x-request-id')).toBe(body.requestId);
  });

  it('answers malformed JSON with 400 INVALID_JSON', async () => {
    const res = await post('{"a": ');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'INVALID_JSON' });
  });

  it('answers an empty JSON body with 400 INVALID_JSON', async () => {
    const res = await post('');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'INVALID_JSON' });
  });

  it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await post(JSON.stringify({ big: 'x'.repeat(4096) }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers an unsupported content type with 415', async () => {
    const res = await post('a=1', 'text/csv');
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('answers a known path asked with another method with 405 and Allow', async () => {
    const res = await fetch(`${base}/v1/echo/item/a`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    const body = (await res.json()) as { requestId: string };
    expect(body).toMatchObject({ code: 'METHOD_NOT_ALLOWED', details: { allow: ['GET', 'HEAD'] }, requestId: expect.any(String) });
    // The request is traceable though refused ahead of the hook that names it.
    expect(res.headers.get('x-request-id')).toBe(body.requestId);
    expect((await fetch(`${base}/v1/echo`)).headers.get('allow')).toBe('POST');
  });

  it('refuses a NUL character in a path parameter, a query or a JSON body, naming the field', async () => {
    for (const [res, field] of [
      [await fetch(`${base}/v1/echo/item/a%00b`), 'path parameter name'],
      [await fetch(`${base}/v1/echo/item/a?q=%00`), 'query.q'],
      [await post(JSON.stringify({ list: [{ k: 'x\u0000' }] })), 'body.list[0].k'],
    ] as const) {
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'INVALID_CHARACTER', details: { field }, requestId: expect.any(String) });
    }
    const unknown = await fetch(`${base}/v1/nope/a%00b`, {
      method: 'POST',
      body: '{"a":"\\u0000"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(unknown.status).toBe(404);
    const deep = await post('['.repeat(200) + ']'.repeat(200));
    expect(deep.status).toBe(400);
    expect(await deep.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('nests deeper') });
  });

  it('answers URLs the router refuses in the error body', async () => {
    for (const path of ['/v1/echo/item/%ZZ', '/v1/echo/item/%E0%A4%A']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { requestId: string };
      expect(body).toMatchObject({ code: 'INVALID_URL', requestId: expect.any(String) });
      expect(res.headers.get('x-request-id')).toBe(body.requestId);
      // The router answers these itself, yet they are logged and counted like any request.
      expect(logLines.some((l) => l.includes(body.requestId) && l.includes('"status":400') && l.includes('"route":"unmatched"'))).toBe(
        true,
      );
    }
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(
      /http_request_duration_seconds_count\{[^}]*route="unmatched"[^}]*status_code="400"\} [1-9]/,
    );
    const query = await fetch(`${base}/v1/echo/item/a?q=%E0%A4%A`);
    expect(query.status).toBe(400);
    expect(await query.json()).toMatchObject({ code: 'INVALID_URL', details: { field: 'query.q' }, requestId: expect.any(String) });
    // An unknown route stays 404 whatever its query holds.
    expect((await fetch(`${base}/v1/nope?q=%ZZ`)).status).toBe(404);
    const long = await fetch(`${base}/v1/echo/item/${'a'.repeat(10_000)}`);
    expect(long.status).toBe(414);
    expect(await long.json()).toMatchObject({ code: 'PATH_PARAMETER_TOO_LONG', requestId: expect.any(String) });
  });

  it('answers headers over the parser limit with 431 in the error body', async () => {
    const res = await fetch(`${base}/v1/echo/item/a?q=${'a'.repeat(20_000)}`);
    expect(res.status).toBe(431);
    expect(await res.json()).toMatchObject({ code: 'HEADERS_TOO_LARGE', requestId: expect.any(String) });
  });

  it('answers a text/plain body with 415: JSON is the only text it reads', async () => {
    const res = await post('{"a":1}', 'text/plain');
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('maps a DispatchError to its status, with details', async () => {
    const res = await fetch(`${base}/v1/echo/conflict`);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'NAME_CONFLICT', details: { name: 'a' } });
  });

  it('hides an unexpected error behind 500 INTERNAL and logs it', async () => {
    const res = await fetch(`${base}/v1/echo/boom`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('secret internals');
    expect(text).not.toContain('.ts:');
    const body = JSON.parse(text);
    expect(body.code).toBe('INTERNAL');
    expect(logLines.some((l) => l.includes(body.requestId) && l.includes('secret internals'))).toBe(true);
  });

  it('reports liveness and readiness, and 503 when a dependency fails', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ok = await fetch(`${base}/readyz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ready: true, checks: { 'fake-store': 'ok' } });
    ready = false;
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      details: { 'fake-store': 'failing' },
    });
    expect(logLines.some((l) => l.includes('connection refused'))).toBe(true);
    ready = true;
  });

  it('exposes Prometheus metrics with the request histogram by route pattern', async () => {
    await fetch(`${base}/healthz`);
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/healthz"/);
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/v1\/echo"[^}]*status_code="201"/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('serves the OpenAPI document and page', async () => {
    const doc = (await (await fetch(`${base}/docs-json`)).json()) as { openapi: string; paths: object };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/v1/echo']));
    const page = await fetch(`${base}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger');
  });

  it('never logs the Authorization header', async () => {
    logLines.length = 0;
    await fetch(`${base}/v1/echo/boom`, { headers: { authorization: 'Bearer sekret-token-value' } });
    expect(logLines.join('\n')).not.toContain('sekret-token-value');
  });
});

describe('HTTP app while closing', () => {
  it('answers a request arriving on an open connection during close with 503 in the error body', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered = false;
    @Controller('v1/slow')
    class SlowController {
      @Get()
      async slow() {
        entered = true;
        await held;
        return { done: true };
      }
    }
    const config = loadConfig(baseConfigSchema, {});
    const logger = createLogger({ level: 'silent', name: 'test' });
    @Module({ imports: [PlatformModule.forRoot({ serviceName: 'test', config, logger })], controllers: [SlowController] })
    class ClosingModule {}
    const app = await createHttpApp(ClosingModule, { config, logger, title: 'test', version: '0' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.getHttpServer().address() as { port: number };
    let requests = 0;
    app.getHttpServer().on('request', () => requests++);
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += String(chunk)));
    const ended = new Promise((resolve) => socket.on('close', resolve));
    // The first request holds the connection busy, so closing keeps it open for a second one.
    socket.write('GET /v1/slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor(() => entered, { what: 'the first request to be in its handler' });
    // Fastify's own close, as the last step of app.close() runs it (Nest's shutdown hooks come first).
    const closed = app.getHttpAdapter().getInstance().close();
    // Fastify stops listening once it starts closing.
    await waitFor(() => !app.getHttpServer().listening, { what: 'the server to start closing' });
    socket.write('GET /v1/slow HTTP/1.1\r\nHost: x\r\n\r\n');
    // Node answers pipelined requests in order: the refusal is written once the first is answered.
    await waitFor(() => requests === 2, { what: 'the second request to arrive' });
    release();
    await ended;
    await closed;
    await app.close();
    const answers = received.split(/(?=HTTP\/1\.1 )/);
    expect(answers).toHaveLength(2);
    expect(answers[0]).toMatch(/^HTTP\/1\.1 200/);
    expect(answers[1]).toMatch(/^HTTP\/1\.1 503/);
    expect(answers[1]).toMatch(/connection: close/i);
    expect(JSON.parse(answers[1].split('\r\n\r\n')[1])).toMatchObject({ code: 'SERVICE_UNAVAILABLE', requestId: expect.any(String) });
  });
});
