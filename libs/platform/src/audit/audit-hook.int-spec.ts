import { Body, Controller, Delete, Get, HttpCode, Module, Param, Post, Put, Res } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { request as httpRequest } from 'node:http';
import { Writable } from 'node:stream';
import { NatsBus, type Subscription } from '@dispatch/bus';
import { type AuditRecordedEvent, type AuthzSnapshot, ErrorCode } from '@dispatch/contracts';
import { auditEvent, deleteNamespaceStreams, startTestIdp, TEST_NATS_URL, testNamespace, type TestIdp, waitFor } from '@dispatch/testing';
import { AuthModule } from '../auth/auth.module';
import { Authorize } from '../auth/guard/authorize.decorator';
import { baseConfigSchema, loadConfig } from '../config/config';
import { DispatchError } from '../errors/dispatch-error';
import { createHttpApp } from '../http/create-http-app';
import { InfrastructureModule } from '../infrastructure/infrastructure.module';
import { createLogger } from '../logging/logger';
import { PlatformModule } from '../platform.module';
import { AUDIT_SUBJECT } from './audit-event';
import { type AuditHook, registerAuditHook } from './audit-hook';
import { AuditQueue } from './audit-queue';

@Controller('v1/things')
class ThingsController {
  @Post()
  @Authorize('function', 'create')
  create(@Body() body: unknown) {
    return { created: typeof body };
  }

  @Get()
  @Authorize('function', 'list')
  list() {
    return { items: [] };
  }

  @Put(':name')
  @Authorize('function', 'update')
  update(@Param('name') name: string) {
    throw new DispatchError(ErrorCode.NAME_CONFLICT, `"${name}" is taken; choose another name`);
  }

  @Delete(':name')
  @HttpCode(204)
  @Authorize('function', 'delete')
  remove() {}

  @Post('boom')
  @Authorize('function', 'execute')
  boom() {
    throw new Error('internal detail');
  }

  @Post('run')
  @Authorize('function', 'execute')
  run() {
    return { ran: true };
  }

  /** Writes its answer itself, as a streaming route would: Fastify skips onSend. */
  @Post('raw')
  @Authorize('function', 'create')
  raw(@Res() reply: FastifyReply) {
    reply.hijack();
    reply.raw.writeHead(202, { 'content-type': 'application/json' });
    reply.raw.end('{"accepted":true}');
  }

  @Post('slow')
  @Authorize('function', 'create')
  async slow() {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { done: true };
  }
}

@Controller('hooks')
class OpenController {
  @Post()
  hook() {
    return { ok: true };
  }
}

/** Routes of an app with no AuthModule: no guard, so no principal. */
@Controller('v1/open')
class UnguardedController {
  @Post()
  create() {
    return { ok: true };
  }
}

const SNAPSHOT: AuthzSnapshot = {
  revision: 1,
  issuers: [],
  serviceAccounts: [],
  apiKeys: [],
  roles: [],
  bindings: [
    { org: 'acme', role: 'admin', subjects: [{ kind: 'user', name: 'alice' }] },
    { org: 'acme', role: 'viewer', subjects: [{ kind: 'user', name: 'carol' }] },
  ],
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function sampleEvent(requestId: string, service: string): AuditRecordedEvent {
  return auditEvent({ requestId, time: new Date().toISOString(), service, route: '/v1/things' });
}

interface Captured {
  event: AuditRecordedEvent;
  msgId: string | undefined;
  raw: string;
}

/**
 * The audit hook in a real app: real NATS JetStream carries the events, a real OIDC provider
 * issues the tokens, the guard every service uses decides. The events are read back from the bus.
 */
describe('audit hook (real NATS, real IdP)', () => {
  const namespace = testNamespace('audit');
  const logLines: string[] = [];
  const captured: Captured[] = [];
  let bus: NatsBus;
  let idp: TestIdp;
  let app: NestFastifyApplication;
  let hook: AuditHook;
  let base: string;
  let capture: Subscription;
  const tokens: Record<string, string> = {};
  const closeListeners = new Map<string, number>();
  const config = loadConfig(baseConfigSchema, {});
  const logger = createLogger({
    level: 'warn',
    name: 'audit-test',
    destination: new Writable({
      write(chunk, _enc, cb) {
        logLines.push(String(chunk));
        cb();
      },
    }),
  });

  beforeAll(async () => {
    [bus, idp] = await Promise.all([
      NatsBus.connect({ url: TEST_NATS_URL, namespace, log: { warn: () => undefined, error: () => undefined } }),
      startTestIdp(),
    ]);
    await bus.reply('identity.authz.snapshot.v1', 'identity-manager', async (req) =>
      req.knownRevision === SNAPSHOT.revision ? { unchanged: true, revision: SNAPSHOT.revision } : SNAPSHOT,
    );
    capture = await bus.subscribe(AUDIT_SUBJECT, { group: 'audit-capture' }, async (msg) => {
      captured.push({ event: msg.data, msgId: msg.msgId, raw: JSON.stringify(msg) });
    });
    @Module({
      imports: [
        PlatformModule.forRoot({ serviceName: 'things', config, logger }),
        InfrastructureModule.forRoot({ databaseUrl: 'unused', bus }),
        AuthModule.forRoot({ deploymentIssuers: [idp.trustedIssuer()], platformOrg: 'default', refreshMs: 60_000 }),
      ],
      controllers: [ThingsController, OpenController],
    })
    class ThingsModule {}
    app = await createHttpApp(ThingsModule, { config, logger, title: 'things', version: '0', serviceName: 'things' });
    hook = registerAuditHook(app, { serviceName: 'things', bus, logger });
    // Runs after the audit hook's onSend: what it left on each answer, by request id.
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onSend', (request, reply, payload, done) => {
        closeListeners.set(request.id, reply.raw.listenerCount('close'));
        done(null, payload);
      });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    tokens['alice'] = await idp.issueToken({ subject: 'alice', org: 'acme' });
    tokens['carol'] = await idp.issueToken({ subject: 'carol', org: 'acme' });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await capture?.unsubscribe();
    await bus?.close();
    await idp?.stop();
    await deleteNamespaceStreams(TEST_NATS_URL, namespace);
  });

  async function call(method: string, path: string, options: { who?: string; body?: unknown; requestId?: string } = {}) {
    const headers: Record<string, string> = {};
    if (options.who) headers['authorization'] = `Bearer ${tokens[options.who]}`;
    if (options.requestId) headers['x-request-id'] = options.requestId;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    await res.text();
    return { status: res.status, requestId: res.headers.get('x-request-id')! };
  }

  const eventsOf = (requestId: string) => captured.filter((c) => c.event.requestId === requestId);
  const eventOf = (requestId: string) =>
    waitFor(() => eventsOf(requestId)[0], { what: `the audit event of request ${requestId}`, timeoutMs: 5000 });

  it('records an allowed mutation: who, org, resource, action, route, status, time, request id, service', async () => {
    const before = Date.now();
    const res = await call('POST', '/v1/things', { who: 'alice', body: { name: 'f' } });
    expect(res.status).toBe(201);
    const { event, msgId } = await eventOf(res.requestId);
    // acme's alice creating, allowed: the sample event, with this request's own fields.
    expect(event).toEqual(auditEvent({ requestId: res.requestId, time: expect.any(String), service: 'things', route: '/v1/things' }));
    expect(Date.parse(event.time)).toBeGreaterThanOrEqual(before - 5);
    expect(Date.parse(event.time)).toBeLessThanOrEqual(Date.now());
    // Its own id is the msgId, never the (client-choosable) request id.
    expect(msgId).toMatch(UUID);
    expect(msgId).not.toBe(res.requestId);
  });

  it('records refusals and failures with the error code of the answer', async () => {
    const anonymous = await call('POST', '/v1/things', { body: {} });
    const viewer = await call('DELETE', '/v1/things/f', { who: 'carol' });
    const conflict = await call('PUT', '/v1/things/f', { who: 'alice', body: {} });
    const broken = await call('POST', '/v1/things/boom', { who: 'alice' });
    const deleted = await call('DELETE', '/v1/things/f', { who: 'alice' });
    expect([anonymous.status, viewer.status, conflict.status, broken.status, deleted.status]).toEqual([401, 403, 409, 500, 204]);

    expect((await eventOf(anonymous.requestId)).event).toMatchObject({
      org: null,
      subject: null,
      subjectKind: null,
      resource: 'function',
      action: 'create',
      status: 401,
      result: 'UNAUTHENTICATED',
    });
    expect((await eventOf(viewer.requestId)).event).toMatchObject({
      org: 'acme',
      subject: 'carol',
      resource: 'function',
      action: 'delete',
      method: 'DELETE',
      route: '/v1/things/:name',
      status: 403,
      result: 'FORBIDDEN',
    });
    expect((await eventOf(conflict.requestId)).event).toMatchObject({
      subject: 'alice',
      action: 'update',
      status: 409,
      result: 'NAME_CONFLICT',
    });
    expect((await eventOf(broken.requestId)).event).toMatchObject({ action: 'execute', status: 500, result: 'INTERNAL' });
    expect((await eventOf(deleted.requestId)).event).toMatchObject({ action: 'delete', status: 204, result: 'allowed' });
  });

  it('leaves out reads, allowed executions (runs keep their own record), routes outside /v1 and requests no route matched', async () => {
    const { published, pending } = hook.stats();
    const others = [
      await call('GET', '/v1/things', { who: 'alice' }),
      await call('POST', '/v1/things/run', { who: 'alice' }),
      await call('POST', '/hooks', { body: {} }),
      await call('DELETE', '/v1/nothing-here', { who: 'alice' }),
      await call('GET', '/healthz'),
    ];
    expect(others.map((r) => r.status)).toEqual([200, 201, 201, 404, 200]);
    expect(await hook.flush()).toBe(true);
    expect(hook.stats().published + hook.stats().pending).toBe(published + pending);
    for (const r of others) expect(eventsOf(r.requestId)).toEqual([]);
  });

  it('does no work for an allowed run: it leaves the answer as it leaves a read', async () => {
    const read = await call('GET', '/v1/things', { who: 'alice' });
    const run = await call('POST', '/v1/things/run', { who: 'alice' });
    const create = await call('POST', '/v1/things', { who: 'alice', body: {} });
    expect([read.status, run.status, create.status]).toEqual([200, 201, 201]);
    expect(closeListeners.get(run.requestId)).toBe(closeListeners.get(read.requestId));
    // The probe sees the hook's work where there is some: an audited mutation waits for `close`.
    expect(closeListeners.get(create.requestId)).toBe(closeListeners.get(read.requestId)! + 1);
  });

  it('records a mutation whose handler wrote the answer itself (a hijacked reply skips onSend)', async () => {
    const requestId = `raw-${Date.now()}`;
    const res = await fetch(`${base}/v1/things/raw`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens['alice']}`, 'x-request-id': requestId },
    });
    expect(res.status).toBe(202);
    expect((await eventOf(requestId)).event).toMatchObject({
      route: '/v1/things/raw',
      action: 'create',
      status: 202,
      result: 'allowed',
      subject: 'alice',
    });
  });

  it('never publishes the body or the headers', async () => {
    const res = await call('POST', '/v1/things', { who: 'alice', body: { password: 'hunter2-body', nested: { key: 'k-secret' } } });
    const { raw } = await eventOf(res.requestId);
    for (const secret of ['hunter2-body', 'k-secret', tokens['alice'], 'authorization', 'content-type']) expect(raw).not.toContain(secret);
  });

  it('records every request even when a client reuses its X-Request-Id', async () => {
    const first = await call('POST', '/v1/things', { who: 'alice', body: {}, requestId: 'reused-id-1' });
    const second = await call('DELETE', '/v1/things/x', { who: 'alice', requestId: 'reused-id-1' });
    expect([first.requestId, second.requestId]).toEqual(['reused-id-1', 'reused-id-1']);
    await waitFor(() => eventsOf('reused-id-1').length === 2, { what: 'both events of the reused request id' });
    const [a, b] = eventsOf('reused-id-1');
    expect(a.msgId).not.toBe(b.msgId);
    expect([a.event.method, b.event.method].sort()).toEqual(['DELETE', 'POST']);
  });

  it('records a mutation whose client hung up before the answer', async () => {
    const requestId = `hangup-${Date.now()}`;
    const url = new URL(`${base}/v1/things/slow`);
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { authorization: `Bearer ${tokens['alice']}`, 'x-request-id': requestId },
      });
      req.on('error', () => resolve());
      req.end();
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 100);
    });
    // The handler still runs to the end; what it did is recorded with the status it answered.
    expect((await eventOf(requestId)).event).toMatchObject({ route: '/v1/things/slow', status: 201, result: 'allowed', subject: 'alice' });
  });

  it('counts its work in the app metrics', async () => {
    expect(await hook.flush()).toBe(true);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/^audit_events_published_total\{service="things"\} [1-9]\d*$/m);
    expect(text).toMatch(/^audit_events_pending\{service="things"\} 0$/m);
  });

  describe('when the bus cannot take the events', () => {
    let deadBus: NatsBus;
    let deadApp: NestFastifyApplication;
    let deadHook: AuditHook;
    let deadBase: string;

    beforeAll(async () => {
      // A real connection, closed: every publish is refused, as when NATS is gone for good.
      deadBus = await NatsBus.connect({ url: TEST_NATS_URL, namespace, log: { warn: () => undefined, error: () => undefined } });
      await deadBus.close();
      @Module({ imports: [PlatformModule.forRoot({ serviceName: 'dead', config, logger })], controllers: [UnguardedController] })
      class DeadModule {}
      deadApp = await createHttpApp(DeadModule, { config, logger, title: 'dead', version: '0' });
      deadHook = registerAuditHook(deadApp, { serviceName: 'dead', bus: deadBus, logger });
      await deadApp.listen({ port: 0, host: '127.0.0.1' });
      deadBase = `http://127.0.0.1:${(deadApp.getHttpServer().address() as { port: number }).port}`;
    });
    afterAll(() => deadApp?.close());

    it('still answers at once, then drops the events it could not publish and says so', async () => {
      logLines.length = 0;
      const started = Date.now();
      const answers = await Promise.all([1, 2, 3].map(() => fetch(`${deadBase}/v1/open`, { method: 'POST' })));
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
      // Three attempts with back-off take 600 ms per event; the answers did not wait for them.
      expect(Date.now() - started).toBeLessThan(550);
      expect(await deadHook.flush(10_000)).toBe(true);
      expect(deadHook.stats()).toMatchObject({ pending: 0, published: 0, dropped: { publish_failed: 3 } });
      const metrics = await (await fetch(`${deadBase}/metrics`)).text();
      expect(metrics).toMatch(/^audit_events_dropped_total\{reason="publish_failed",service="dead"\} 3$/m);
      await waitFor(() => logLines.some((l) => l.includes('audit events dropped')), { what: 'the drop warning', timeoutMs: 12_000 });
      const warning = JSON.parse(logLines.find((l) => l.includes('audit events dropped'))!) as { dropped: Record<string, number> };
      expect(warning.dropped['publish_failed']).toBeGreaterThanOrEqual(1);
    }, 20_000);
  });

  describe('the queue', () => {
    it('holds at most its capacity and drops (and counts) the rest, never blocking the caller', async () => {
      const queue = new AuditQueue({ bus, logger, capacity: 3, concurrency: 2 });
      const event = (n: number) => sampleEvent(`queue-${namespace}-${n}`, 'queue-test');
      // Synchronously: 2 go in flight at once, 3 wait, the other 5 find the queue full.
      const accepted = Array.from({ length: 10 }, (_, n) => queue.enqueue(event(n), `q-${namespace}-${n}`));
      expect(accepted).toEqual([true, true, true, true, true, false, false, false, false, false]);
      expect(queue.stats()).toMatchObject({ pending: 5, dropped: { queue_full: 5 } });
      await queue.close();
      expect(queue.stats()).toMatchObject({ pending: 0, published: 5, dropped: { queue_full: 5, publish_failed: 0, closed: 0 } });
      expect(queue.enqueue(event(99), 'after-close')).toBe(false);
      expect(queue.stats().dropped.closed).toBe(1);
      await waitFor(() => captured.filter((c) => c.event.service === 'queue-test').length === 5, { what: 'the five published events' });
      expect(
        captured
          .filter((c) => c.event.service === 'queue-test')
          .map((c) => c.msgId)
          .sort(),
      ).toEqual([0, 1, 2, 3, 4].map((n) => `q-${namespace}-${n}`));
    });

    it('publishes a retried event once: the bus drops the second publish of the same msgId', async () => {
      const queue = new AuditQueue({ bus, logger });
      const event = sampleEvent(`dup-${namespace}`, 'dup-test');
      queue.enqueue(event, `dup-${namespace}`);
      queue.enqueue(event, `dup-${namespace}`);
      await queue.close();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(captured.filter((c) => c.event.service === 'dup-test')).toHaveLength(1);
    });
  });

  it('flushes on app.close(), before the bus is closed', async () => {
    @Module({ imports: [PlatformModule.forRoot({ serviceName: 'closing', config, logger })], controllers: [UnguardedController] })
    class ClosingModule {}
    const closing = await createHttpApp(ClosingModule, { config, logger, title: 'closing', version: '0', serviceName: 'closing' });
    const closingHook = registerAuditHook(closing, { serviceName: 'closing', bus, logger });
    await closing.listen({ port: 0, host: '127.0.0.1' });
    const port = (closing.getHttpServer().address() as { port: number }).port;
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => fetch(`http://127.0.0.1:${port}/v1/open`, { method: 'POST' })));
    const ids = answers.map((a) => a.headers.get('x-request-id'));
    await closing.close();
    expect(closingHook.stats()).toMatchObject({ pending: 0, published: 5 });
    await waitFor(() => ids.every((id) => eventsOf(id!).length === 1), { what: 'the events of the closed app' });
    expect(eventsOf(ids[0]!)[0].event).toMatchObject({
      service: 'closing',
      org: null,
      subject: null,
      resource: null,
      action: null,
      result: 'allowed',
    });
  });
});
