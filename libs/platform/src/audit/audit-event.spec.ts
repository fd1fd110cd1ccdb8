import { auditResultOf, buildAuditEvent, errorCodeOfPayload, isAuditedRequest } from './audit-event';

describe('audit events', () => {
  describe('which requests are audited', () => {
    it.each([
      ['POST', '/v1/iam/policies', '/v1/iam/policies'],
      ['PUT', '/v1/iam/policies/readers', '/v1/iam/policies/:name'],
      ['PATCH', '/v1/function/f?dryRun=true', '/v1/function/:name'],
      ['DELETE', '/v1/iam/roles/ops', '/v1/iam/roles/:name'],
      ['post', '/v1', '/v1'],
    ])('%s %s (a /v1 mutation)', (method, url, route) => {
      expect(isAuditedRequest(method, url, route)).toBe(true);
    });

    it.each([
      ['GET', '/v1/iam/policies', '/v1/iam/policies', 'reads change nothing'],
      ['HEAD', '/v1/iam/policies', '/v1/iam/policies', 'reads change nothing'],
      ['OPTIONS', '/v1/iam/policies', '/v1/iam/policies', 'preflights change nothing'],
      ['POST', '/healthz', '/healthz', 'not the API'],
      ['POST', '/docs/x', '/docs/x', 'not the API'],
      ['POST', '/v10/things', '/v10/things', 'another prefix'],
      ['POST', '/v1x', '/v1x', 'another prefix'],
      ['DELETE', '/v1/nope', undefined, 'no route matched'],
    ])('not %s %s (%s)', (method: string, url: string, route: string | undefined, _why: string) => {
      expect(isAuditedRequest(method, url, route)).toBe(false);
    });
  });

  describe('result', () => {
    it('is allowed below 400, whatever the body', () => {
      expect(auditResultOf(200, undefined)).toBe('allowed');
      expect(auditResultOf(201, 'IGNORED')).toBe('allowed');
      expect(auditResultOf(204, undefined)).toBe('allowed');
      expect(auditResultOf(302, undefined)).toBe('allowed');
    });
    it('is the error code of the answer when it has one', () => {
      expect(auditResultOf(401, 'UNAUTHENTICATED')).toBe('UNAUTHENTICATED');
      expect(auditResultOf(403, 'FORBIDDEN')).toBe('FORBIDDEN');
      expect(auditResultOf(400, 'VALIDATION_FAILED')).toBe('VALIDATION_FAILED');
      expect(auditResultOf(409, 'NAME_CONFLICT')).toBe('NAME_CONFLICT');
      expect(auditResultOf(500, 'INTERNAL')).toBe('INTERNAL');
    });
    it('falls back to denied for 401/403 and failed otherwise', () => {
      expect(auditResultOf(401, undefined)).toBe('denied');
      expect(auditResultOf(403, undefined)).toBe('denied');
      expect(auditResultOf(404, undefined)).toBe('failed');
      expect(auditResultOf(502, undefined)).toBe('failed');
    });
  });

  describe('error code of the answer body', () => {
    it('reads the code of a Dispatch error body, as a string or a buffer', () => {
      const body = JSON.stringify({ code: 'NAME_CONFLICT', message: 'taken', requestId: 'r1' });
      expect(errorCodeOfPayload(body)).toBe('NAME_CONFLICT');
      expect(errorCodeOfPayload(Buffer.from(body))).toBe('NAME_CONFLICT');
    });
    it.each([
      ['no body', undefined],
      ['not JSON', 'Bad Gateway'],
      ['broken JSON', '{"code": '],
      ['no code', '{"message":"x"}'],
      ['a code that is not one of ours', '{"code":"<script>"}'],
      ['a code that is no string', '{"code":42}'],
      ['a body too large for an error', `{"code":"FORBIDDEN","pad":"${'x'.repeat(20_000)}"}`],
      ['a stream', { pipe: () => undefined }],
    ])('gives nothing for %s', (_what, payload) => {
      expect(errorCodeOfPayload(payload)).toBeUndefined();
    });
  });

  describe('building', () => {
    const time = new Date('2025-03-01T10:00:00.000Z');

    it('records who, where, what and how it went', () => {
      const event = buildAuditEvent(
        {
          id: 'req-1',
          method: 'delete',
          route: '/v1/iam/policies/:name',
          principal: { org: 'acme', subject: 'alice', kind: 'user' },
          authzRequirement: { resource: 'policy', action: 'delete' },
          status: 403,
          code: 'FORBIDDEN',
        },
        'identity-manager',
        time,
      );
      expect(event).toEqual({
        requestId: 'req-1',
        time: '2025-03-01T10:00:00.000Z',
        service: 'identity-manager',
        org: 'acme',
        subject: 'alice',
        subjectKind: 'user',
        resource: 'policy',
        action: 'delete',
        method: 'DELETE',
        route: '/v1/iam/policies/:name',
        status: 403,
        result: 'FORBIDDEN',
      });
    });

    it('records a refusal before any principal or requirement as nulls', () => {
      const event = buildAuditEvent({ id: 'r', method: 'POST', route: '/v1/x', status: 401 }, 's', time);
      expect(event).toMatchObject({ org: null, subject: null, subjectKind: null, resource: null, action: null, result: 'denied' });
    });

    it('records a route that checks permissions itself with no resource or action', () => {
      const event = buildAuditEvent(
        {
          id: 'r',
          method: 'POST',
          route: '/v1/x',
          status: 200,
          principal: { org: 'o', subject: 's', kind: 'apikey' },
          authzRequirement: {},
        },
        's',
        time,
      );
      expect(event).toMatchObject({ org: 'o', subject: 's', subjectKind: 'apikey', resource: null, action: null, result: 'allowed' });
    });

    it('never carries the body, headers, URL or other request fields it is handed', () => {
      // A whole request-like object, as a careless caller might pass it.
      const request = {
        id: 'req-2',
        method: 'POST',
        route: '/v1/secret',
        url: '/v1/secret?token=url-secret',
        status: 201,
        body: { value: 'body-secret' },
        headers: { authorization: 'Bearer header-secret', cookie: 'cookie-secret' },
        principal: { org: 'acme', subject: 'alice', kind: 'user' as const, groups: ['group-secret'], issuer: 'https://issuer-secret' },
        authzRequirement: { resource: 'secret', action: 'create', platform: false },
      };
      const event = buildAuditEvent(request, 'svc', time);
      const text = JSON.stringify(event);
      for (const secret of ['url-secret', 'body-secret', 'header-secret', 'cookie-secret', 'group-secret', 'issuer-secret', 'platform']) {
        expect(text).not.toContain(secret);
      }
      expect(Object.keys(event).sort()).toEqual(
        [
          'action',
          'method',
          'org',
          'requestId',
          'resource',
          'result',
          'route',
          'service',
          'status',
          'subject',
          'subjectKind',
          'time',
        ].sort(),
      );
    });
  });
});
