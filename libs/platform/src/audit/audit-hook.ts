import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Bus } from '@dispatch/bus';
import type { AuthorizedRequest } from '../auth/guard/auth.guard';
import { Metrics } from '../metrics/metrics';
import { buildAuditEvent, errorCodeOfPayload, isAuditedRequest } from './audit-event';
import { type AuditDropReason, AuditQueue } from './audit-queue';

export interface AuditHookOptions {
  /** Recorded as the event's `service` (e.g. `function-manager`, or `dispatch` in solo mode). */
  serviceName: string;
  bus: Bus;
  logger: Logger;
  /** Events waiting for the bus at most before new ones are dropped. Default 10 000. */
  capacity?: number;
  /** How long closing the app waits for queued events to be published. Default 5 s. */
  closeTimeoutMs?: number;
}

export interface AuditHook {
  /** Resolves true once every queued event is published (or dropped), false after `timeoutMs`. */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Flushes for at most `timeoutMs` and stops; later events are dropped. Run by `app.close()` already. */
  close(timeoutMs?: number): Promise<void>;
  stats(): { pending: number; published: number; dropped: Record<AuditDropReason, number> };
}

interface AuditState {
  /** The event's id and bus msgId. */
  id: string;
  recorded: boolean;
  status: number;
  code?: string;
  time: Date;
}

/**
 * Records every `/v1` mutation this app answers (POST/PUT/PATCH/DELETE, refusals included) as an
 * `identity.audit.recorded.v1` event, published in the background so the answer never waits for
 * the bus and never fails because of it.
 *
 * Call it once per app, before `app.listen()` (Fastify takes no hooks once started). `app.close()`
 * flushes the queue (Fastify `onClose`, which runs before Nest's shutdown hooks close the bus);
 * the returned handle is for tests and for callers that close the bus themselves.
 *
 * Each event gets its own id (a UUID) as bus msgId and stored key. The request id is recorded but
 * is not the key: a client may choose its X-Request-Id, and a key it controls would let it have
 * its own (or, with a guessed id, another tenant's) events dropped as duplicates.
 */
/** One hook per app: createHttpApp registers it, and a later call gets that same hook back. */
const hooks = new WeakMap<NestFastifyApplication, AuditHook>();

export function registerAuditHook(app: NestFastifyApplication, options: AuditHookOptions): AuditHook {
  const existing = hooks.get(app);
  if (existing) return existing;
  const hook = createAuditHook(app, options);
  hooks.set(app, hook);
  return hook;
}

function createAuditHook(app: NestFastifyApplication, options: AuditHookOptions): AuditHook {
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = auditMetrics(metricsOf(app)?.registry);
  const queue = new AuditQueue({
    bus: options.bus,
    logger: options.logger,
    capacity: options.capacity,
    onDrop: (reason) => metrics?.dropped.inc({ reason }),
    onPublished: () => metrics?.published.inc(),
  });
  metrics?.attach(queue);
  const states = new WeakMap<object, AuditState>();

  /**
   * The audit state of a request whose answer is decided (`status`), begun now when the audit log
   * wants it; undefined, with no work done, when it does not. An allowed `execute` (a function run)
   * changes no resource and has its own record, the run: auditing each one would double every
   * run's cost, so it is ruled out first. Refused ones are audited like any request.
   */
  const stateOf = (request: AuthorizedRequest, status: number): AuditState | undefined => {
    const known = states.get(request);
    if (known) return known;
    if (status < 400 && request.authzRequirement?.action === 'execute') return undefined;
    if (!isAuditedRequest(request.method, request.url, request.routeOptions.url)) return undefined;
    const state: AuditState = { id: randomUUID(), recorded: false, status, time: new Date() };
    states.set(request, state);
    return state;
  };

  const record = (request: AuthorizedRequest, state: AuditState) => {
    if (state.recorded) return;
    state.recorded = true;
    try {
      const event = buildAuditEvent(
        {
          id: request.id,
          method: request.method,
          route: request.routeOptions.url!,
          principal: request.principal,
          authzRequirement: request.authzRequirement,
          status: state.status,
          code: state.code,
        },
        options.serviceName,
        state.time,
      );
      queue.enqueue(event, state.id);
    } catch (err) {
      options.logger.warn({ err, reqId: request.id }, 'could not build the audit event of a request');
    }
  };

  // The answer is decided here: its status, and the error code of the body the error filter built.
  // A client that hangs up before the answer is written gets no onResponse (Fastify runs it on the
  // response's `finish`), but its mutation happened: the socket's `close` records it then.
  fastify.addHook('onSend', (request: AuthorizedRequest, reply, payload, done) => {
    const state = stateOf(request, reply.statusCode);
    if (state && !state.recorded) {
      // A failing later onSend hook sends an error instead: the last answer is the one recorded.
      state.status = reply.statusCode;
      state.time = new Date();
      state.code = reply.statusCode >= 400 ? errorCodeOfPayload(payload) : undefined;
      if (reply.raw.destroyed) record(request, state);
      else reply.raw.once('close', () => record(request, state));
    }
    done(null, payload);
  });

  // A hijacked reply skips onSend: its answer is decided once it is written.
  fastify.addHook('onResponse', (request: AuthorizedRequest, reply, done) => {
    const state = stateOf(request, reply.statusCode);
    if (state) record(request, state);
    done();
  });

  fastify.addHook('onClose', async () => {
    await queue.close(options.closeTimeoutMs ?? 5000);
    metrics?.detach(queue);
  });

  return {
    flush: (timeoutMs) => queue.flush(timeoutMs),
    close: (timeoutMs) => queue.close(timeoutMs ?? options.closeTimeoutMs),
    stats: () => queue.stats(),
  };
}

function metricsOf(app: NestFastifyApplication): Metrics | undefined {
  try {
    return app.get(Metrics, { strict: false });
  } catch {
    return undefined; // an app without PlatformModule: no metrics, the log warnings remain
  }
}

const DROPPED = 'audit_events_dropped_total';
const PUBLISHED = 'audit_events_published_total';
const PENDING = 'audit_events_pending';

/** The queues of each registry's apps, summed by its pending gauge. */
const QUEUES = new WeakMap<Registry, AuditQueue[]>();

function auditMetrics(registry: Registry | undefined) {
  if (!registry) return undefined;
  const queues = QUEUES.get(registry) ?? [];
  QUEUES.set(registry, queues);
  const dropped =
    (registry.getSingleMetric(DROPPED) as Counter<'reason'> | undefined) ??
    new Counter({
      name: DROPPED,
      help: 'Audit events lost: queue_full (the bus did not keep up), publish_failed (after retries), closed (app stopping)',
      labelNames: ['reason'],
      registers: [registry],
    });
  const published =
    (registry.getSingleMetric(PUBLISHED) as Counter | undefined) ??
    new Counter({ name: PUBLISHED, help: 'Audit events published on the bus', registers: [registry] });
  if (!registry.getSingleMetric(PENDING)) {
    new Gauge({
      name: PENDING,
      help: 'Audit events waiting for or being published',
      registers: [registry],
      collect() {
        this.set(queues.reduce((sum, q) => sum + q.pending, 0));
      },
    });
  }
  return {
    dropped,
    published,
    attach: (queue: AuditQueue) => queues.push(queue),
    detach: (queue: AuditQueue) => {
      const at = queues.indexOf(queue);
      if (at >= 0) queues.splice(at, 1);
    },
  };
}
