import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Pool } from 'pg';
import type { BusMessage, InProcessBus } from '@dispatch/bus';
import type { AuditRecordedEvent } from '@dispatch/contracts';
import { BusContext, encodePageToken } from '@dispatch/platform';
import { auditEvent, describeTenantProbes, waitFor, type ProbeCredentials } from '@dispatch/testing';
import { AuditRetention } from '../reconcile/audit-retention';
import { startIdentityTestApp, type IdentityTestApp } from '../test-support/identity-test-app';
import { AuditRecordedHandler } from './audit.handlers';
import { AuditRepository } from './audit.repository';

type View = AuditRecordedEvent & { id: string };
interface Answer {
  status: number;
  body: { items?: View[]; nextPageToken?: string; code?: string; message?: string; details?: { problems: { field: string }[] } };
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * The audit log as identity-manager keeps it: events arrive on the real (PostgreSQL-backed) bus
 * as every service's audit hook publishes them, are stored once, and are read back through the
 * API by tokens of a real OIDC provider, each org seeing only its own.
 */
describe('identity-manager: audit log', () => {
  let t: IdentityTestApp;
  let pool: Pool;
  let bus: InProcessBus;
  let app: NestFastifyApplication;
  let base: string;
  let tokens: Record<string, string>;
  const probe = {} as ProbeCredentials;
  // Our events sit a day back, in a window of their own: requests this suite makes may be
  // audited too once the hook is wired into every app.
  const t0 = Math.floor((Date.now() - DAY) / 1000) * 1000;
  const at = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();
  const window = `since=${encodeURIComponent(at(0))}&until=${encodeURIComponent(at(3600))}`;

  beforeAll(async () => {
    t = await startIdentityTestApp({ name: 'audit-test' });
    ({ pool, bus, app, base, tokens } = t);
    Object.assign(probe, t.probe);

    // What the services' hooks would have published, spread over the first minutes of the window.
    await record(
      [
        ev(10, { org: 'acme', subject: 'alice', resource: 'function', action: 'create', status: 201, result: 'allowed' }),
        ev(20, { org: 'acme', subject: 'alice', resource: 'function', action: 'delete', status: 204, result: 'allowed' }),
        ev(30, { org: 'acme', subject: 'carol', resource: 'policy', action: 'create', status: 403, result: 'FORBIDDEN' }),
        ev(40, { org: 'acme', subject: 'carol', resource: 'function', action: 'update', status: 409, result: 'NAME_CONFLICT' }),
        ev(50, { org: 'beta', subject: 'bob', resource: 'function', action: 'create', status: 201, result: 'allowed' }),
        ev(60, {
          org: null,
          subject: null,
          subjectKind: null,
          resource: 'secret',
          action: 'create',
          status: 401,
          result: 'UNAUTHENTICATED',
        }),
        ev(70, { org: 'default', subject: 'root', resource: 'organization', action: 'create', status: 201, result: 'allowed' }),
      ].map((e) => [e, randomUUID()]),
    );
  }, 60_000);

  afterAll(() => t?.close());

  async function send(who: string | undefined, method: string, path: string, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (who) headers['authorization'] = `Bearer ${tokens[who]}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Answer['body']) : {} };
  }
  const list = (who: string, query = '') => send(who, 'GET', `/v1/iam/audit?${window}${query}`);

  let seq = 0;
  function ev(second: number, fields: Partial<AuditRecordedEvent>): AuditRecordedEvent {
    return auditEvent({ requestId: `req-${++seq}-${randomUUID().slice(0, 8)}`, time: at(second), ...fields });
  }

  async function storedCount(requestIds: string[]): Promise<number> {
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "identity"."audit_event" WHERE "request_id" = ANY($1)`, [
      requestIds,
    ]);
    return Number(rows[0].n);
  }

  /** Publishes on the bus as the hooks do and waits until identity-manager stored them. */
  async function record(events: [AuditRecordedEvent, string | undefined][]): Promise<void> {
    for (const [event, msgId] of events) await bus.publish('identity.audit.recorded.v1', event, msgId ? { msgId } : {});
    const ids = [...new Set(events.map(([e]) => e.requestId))];
    await waitFor(async () => (await storedCount(ids)) >= ids.length, { what: 'the audit events to be stored' });
  }

  it('stores what the hooks publish and shows it to the org, newest first', async () => {
    const res = await list('alice');
    expect(res.status).toBe(200);
    expect(res.body.items!.map((e) => [e.subject, e.action, e.result])).toEqual([
      ['carol', 'update', 'NAME_CONFLICT'],
      ['carol', 'create', 'FORBIDDEN'],
      ['alice', 'delete', 'allowed'],
      ['alice', 'create', 'allowed'],
    ]);
    const [latest] = res.body.items!;
    expect(latest).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      requestId: expect.stringMatching(/^req-4-/),
      time: at(40),
      service: 'function-manager',
      org: 'acme',
      subject: 'carol',
      subjectKind: 'user',
      resource: 'function',
      action: 'update',
      method: 'POST',
      route: '/v1/function',
      status: 409,
      result: 'NAME_CONFLICT',
    });
    expect(res.body.nextPageToken).toBeUndefined();
  });

  it('stores a redelivered event once', async () => {
    const event = ev(100, { subject: 'redelivered' });
    const msgId = randomUUID();
    const handler = app.get(AuditRecordedHandler);
    const delivery = (n: number) => new BusContext(['identity.audit.recorded.v1', {}, { msgId, deliveryCount: n } as BusMessage]);
    // The same message handled twice, as after an ack lost on the way back.
    await handler.recorded(event, delivery(1));
    await handler.recorded(event, delivery(2));
    // Published again without a msgId, twice: the bus delivers both, the content names one row.
    const bare = ev(101, { subject: 'redelivered' });
    const stores = jest.spyOn(app.get(AuditRepository), 'record');
    try {
      await record([
        [bare, undefined],
        [bare, undefined],
      ]);
      const storesOfBare = () =>
        stores.mock.calls.flatMap(([, e], i) => (e.requestId === bare.requestId ? [stores.mock.results[i].value as Promise<boolean>] : []));
      await waitFor(() => storesOfBare().length === 2, { what: 'both deliveries of the event without msgId' });
      // One delivery stored it; the other found it there.
      expect((await Promise.all(storesOfBare())).sort()).toEqual([false, true]);
    } finally {
      stores.mockRestore();
    }
    const res = await list('alice', '&subject=redelivered');
    expect(res.body.items!.map((e) => e.requestId)).toEqual([bare.requestId, event.requestId]);
    expect(res.body.items![1].id).toBe(msgId);
  });

  it('keeps every event of a request id a client reused: the key is the event id, not the request id', async () => {
    const first = ev(110, { requestId: 'client-chosen', subject: 'reuser', action: 'create' });
    const second = ev(111, { requestId: 'client-chosen', subject: 'reuser', action: 'delete' });
    await record([
      [first, randomUUID()],
      [second, randomUUID()],
    ]);
    await waitFor(async () => (await storedCount(['client-chosen'])) === 2, { what: 'both events' });
    const res = await list('alice', '&requestId=client-chosen');
    expect(res.body.items!.map((e) => e.action)).toEqual(['delete', 'create']);
  });

  it('shows each org only its own events; another org is not found', async () => {
    expect((await list('bob')).body.items!.map((e) => [e.org, e.subject])).toEqual([['beta', 'bob']]);
    expect((await list('alice', '&org=acme')).status).toBe(200);
    const other = await list('alice', '&org=beta');
    expect(other).toMatchObject({ status: 404, body: { code: 'ORGANIZATION_NOT_FOUND' } });
    expect(other.body.items).toBeUndefined();
    // A name that exists nowhere answers the same: existence is not revealed.
    expect(await list('alice', '&org=no-such-org')).toMatchObject({ status: 404, body: { code: 'ORGANIZATION_NOT_FOUND' } });
    expect((await list('bob', '&org=acme')).status).toBe(404);
    // Viewers read the log of their org too.
    expect((await list('carol')).body.items!.every((e) => e.org === 'acme')).toBe(true);
  });

  it('lets platform admins read any org, and the anonymous refusals', async () => {
    expect((await list('root')).body.items!.map((e) => e.org)).toEqual(['default']);
    expect((await list('root', '&org=beta')).body.items!.map((e) => e.subject)).toEqual(['bob']);
    expect((await list('root', '&org=acme')).body.items!.length).toBeGreaterThanOrEqual(4);
    const anonymous = await list('root', '&anonymous=true');
    expect(anonymous.body.items!.map((e) => [e.org, e.subject, e.resource, e.result])).toEqual([[null, null, 'secret', 'UNAUTHENTICATED']]);
    expect(await list('alice', '&anonymous=true')).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(await list('root', '&anonymous=true&org=acme')).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });

  it('pages by time then id, newest first, with an opaque token', async () => {
    // Two events in the same millisecond: the id breaks the tie, so paging neither repeats nor skips.
    const events = [ev(200, {}), ev(201, {}), ev(202, {}), ev(202, {}), ev(203, {}), ev(204, {}), ev(205, {})].map((e) => ({
      ...e,
      subject: 'pager',
    }));
    await record(events.map((e) => [e, randomUUID()]));
    const all = (await list('alice', '&subject=pager&pageSize=500')).body.items!;
    expect(all).toHaveLength(7);
    const keys = all.map((e) => `${e.time}|${e.id}`);
    expect([...keys].sort().reverse()).toEqual(keys);

    const walked: View[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await list('alice', `&subject=pager&pageSize=3${token ? `&pageToken=${token}` : ''}`);
      expect(res.status).toBe(200);
      walked.push(...res.body.items!);
      token = res.body.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(walked.map((e) => e.id)).toEqual(all.map((e) => e.id));
  });

  it('filters by subject, resource, action, result, request id and time', async () => {
    const pick = async (query: string) => (await list('alice', query)).body.items!.filter((e) => e.time <= at(40)).map((e) => e.time);
    expect(await pick('&subject=carol')).toEqual([at(40), at(30)]);
    expect(await pick('&resource=policy')).toEqual([at(30)]);
    expect(await pick('&action=delete')).toEqual([at(20)]);
    expect(await pick('&result=allowed&resource=function')).toEqual([at(20), at(10)]);
    expect(await pick('&result=FORBIDDEN')).toEqual([at(30)]);
    expect(await pick('&subject=carol&action=create')).toEqual([at(30)]);
    const onlyTimes = await send('alice', 'GET', `/v1/iam/audit?since=${encodeURIComponent(at(20))}&until=${encodeURIComponent(at(40))}`);
    expect(onlyTimes.body.items!.map((e) => e.time)).toEqual([at(30), at(20)]);
    const offset = await send(
      'alice',
      'GET',
      `/v1/iam/audit?since=${encodeURIComponent(at(29).replace('Z', '+00:00'))}&until=${encodeURIComponent(at(31))}`,
    );
    expect(offset.body.items!.map((e) => e.time)).toEqual([at(30)]);
    const [one] = (await list('alice', '&action=delete&subject=alice')).body.items!;
    expect((await list('alice', `&requestId=${one.requestId}`)).body.items!.map((e) => e.id)).toEqual([one.id]);
  });

  it.each([
    ['since', 'since=yesterday'],
    ['until', 'until=2025-13-01T00:00:00Z'],
    ['since', 'since=2025-01-01T00:00:00'],
    ['until', 'since=2025-02-01T00:00:00Z&until=2025-01-01T00:00:00Z'],
    ['resource', 'resource=wizard'],
    ['action', 'action=fly'],
    ['result', 'result=not%20a%20code'],
    ['org', 'org=Not_An_Org'],
    ['anonymous', 'anonymous=yes'],
    ['subjet', 'subjet=alice'],
    ['subject', 'subject=a&subject=b'],
    ['pageSize', 'pageSize=501'],
  ])('refuses a bad %s with 400 VALIDATION_FAILED naming it (%s)', async (param, query) => {
    const res = await send('alice', 'GET', `/v1/iam/audit?${query}`);
    expect(res).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(res.body.message).toContain(param);
  });

  it('refuses a page token it did not issue', async () => {
    for (const token of ['garbage', encodePageToken('not-a-time|not-an-id'), encodePageToken(`${at(1)}|x`)]) {
      expect(await list('alice', `&pageToken=${token}`)).toMatchObject({ status: 400, body: { code: 'INVALID_PAGE_TOKEN' } });
    }
  });

  it('drops an invalid event without holding up the ones after it', async () => {
    const broken = { ...ev(300, {}), requestId: `broken-${randomUUID()}`, status: 'teapot' };
    await bus.raw.publish('identity.audit.recorded.v1', broken, { msgId: randomUUID() });
    const good = ev(301, { subject: 'after-broken' });
    await record([[good, randomUUID()]]);
    expect(await storedCount([broken.requestId])).toBe(0);
  });

  it('deletes events past retention (AUDIT_RETENTION_DAYS, default 90) and keeps the rest', async () => {
    const now = Date.now();
    const old = { ...ev(0, { subject: 'old' }), time: new Date(now - 91 * DAY).toISOString() };
    const recent = { ...ev(0, { subject: 'recent' }), time: new Date(now - 89 * DAY).toISOString() };
    await record([
      [old, randomUUID()],
      [recent, randomUUID()],
    ]);
    expect(await app.get(AuditRetention).sweep(new Date(now))).toBeGreaterThanOrEqual(1);
    expect(await storedCount([old.requestId, recent.requestId])).toBe(1);
    expect(await storedCount([recent.requestId])).toBe(1);
  });

  describeTenantProbes('audit', () => probe, [
    { method: 'GET', path: '/v1/iam/audit' },
    { method: 'GET', path: '/v1/iam/audit?org=acme', otherOrgResource: true },
  ]);
});
