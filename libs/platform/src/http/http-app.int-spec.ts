import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Writable } from 'node:stream';
import { ErrorCode } from '@dispatch/contracts';
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
