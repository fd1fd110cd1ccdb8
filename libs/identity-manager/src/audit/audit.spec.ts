import { type AuditRecordedEvent, auditRecordedEventSchema } from '@dispatch/contracts';
import { DispatchError, encodePageToken } from '@dispatch/platform';
import { auditEvent } from '@dispatch/testing';
import { encodeCursor } from './audit-query';
import { auditEventId } from './audit-recorded-event';
import { parseAuditQuery } from './audit.dto';

const EVENT = auditEvent();

function refusal(query: unknown): DispatchError {
  try {
    parseAuditQuery(query);
  } catch (err) {
    if (err instanceof DispatchError) return err;
    throw err;
  }
  throw new Error('the query was accepted');
}

describe('audit list query', () => {
  it('reads filters, page size and an issued page token', () => {
    const token = encodeCursor({ time: '2025-03-01T10:00:00.000Z', id: '0b6f3d5e-1c1a-4c53-9d1e-2f0c9b1a7e10' });
    expect(
      parseAuditQuery({
        subject: 'alice',
        resource: 'function',
        action: 'delete',
        result: 'FORBIDDEN',
        since: '2025-03-01T00:00:00+01:00',
        until: '2025-03-02T00:00:00Z',
        pageSize: '20',
        pageToken: token,
      }),
    ).toEqual({
      org: undefined,
      anonymous: false,
      filter: {
        subject: 'alice',
        resource: 'function',
        action: 'delete',
        result: 'FORBIDDEN',
        requestId: undefined,
        since: new Date('2025-02-28T23:00:00Z'),
        until: new Date('2025-03-02T00:00:00Z'),
      },
      limit: 20,
      after: { time: '2025-03-01T10:00:00.000Z', id: '0b6f3d5e-1c1a-4c53-9d1e-2f0c9b1a7e10' },
    });
  });

  it('defaults to the first page of 50, unfiltered', () => {
    expect(parseAuditQuery({})).toMatchObject({ limit: 50, after: undefined, anonymous: false, filter: { subject: undefined } });
    expect(parseAuditQuery(undefined).limit).toBe(50);
  });

  it('names every bad parameter in the message and the details', () => {
    const err = refusal({ since: 'yesterday', action: 'fly', subjet: 'alice' });
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toMatch(/^invalid query: /);
    const fields = (err.details as { problems: { field: string }[] }).problems.map((p) => p.field).sort();
    expect(fields).toEqual(['action', 'since', 'subjet']);
    expect(err.message).toContain('unknown query parameter(s): subjet');
  });

  it('wants timestamps with a zone, and since before until', () => {
    expect(refusal({ since: '2025-03-01T10:00:00' }).message).toContain('since: must be an ISO 8601 timestamp with a zone');
    expect(refusal({ until: '2025-03-01' }).message).toContain('until:');
    expect(refusal({ since: '2025-03-02T00:00:00Z', until: '2025-03-01T00:00:00Z' }).message).toContain('until: must be later than since');
    expect(refusal({ since: '2025-03-01T00:00:00Z', until: '2025-03-01T00:00:00Z' }).message).toContain('until');
  });

  it('refuses page sizes above 500 and tokens it did not issue', () => {
    expect(refusal({ pageSize: '501' }).code).toBe('VALIDATION_FAILED');
    for (const token of [
      '%%%',
      encodePageToken('x'),
      encodePageToken('2025-03-01T10:00:00.000Z|not-a-uuid'),
      encodePageToken('soon|0b6f3d5e-1c1a-4c53-9d1e-2f0c9b1a7e10'),
    ]) {
      expect(refusal({ pageToken: token }).code).toBe('INVALID_PAGE_TOKEN');
    }
  });
});

describe('stored event id', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  it('is the msgId the hook sent', () => {
    expect(auditEventId('0B6F3D5E-1C1A-4C53-9D1E-2F0C9B1A7E10', EVENT)).toBe('0b6f3d5e-1c1a-4c53-9d1e-2f0c9b1a7e10');
  });

  it('is a stable UUID hashed from another msgId', () => {
    const id = auditEventId('outbox-42', EVENT);
    expect(id).toMatch(UUID);
    expect(auditEventId('outbox-42', { ...EVENT, status: 500 })).toBe(id);
    expect(auditEventId('outbox-43', EVENT)).not.toBe(id);
  });

  it('is hashed from the content without a msgId, whatever the field order', () => {
    const id = auditEventId(undefined, EVENT);
    expect(id).toMatch(UUID);
    const reordered = Object.fromEntries(Object.entries(EVENT).reverse()) as unknown as AuditRecordedEvent;
    expect(auditEventId(undefined, reordered)).toBe(id);
    expect(auditEventId(undefined, { ...EVENT, status: 403 })).not.toBe(id);
  });
});

describe('audit event on receipt', () => {
  it('accepts what the hook publishes, nulls included, and ignores fields it does not know', () => {
    expect(auditRecordedEventSchema.parse({ ...EVENT, extra: 1 })).toEqual(EVENT);
    const anonymous = {
      ...EVENT,
      org: null,
      subject: null,
      subjectKind: null,
      resource: null,
      action: null,
      status: 401,
      result: 'UNAUTHENTICATED',
    };
    expect(auditRecordedEventSchema.safeParse(anonymous).success).toBe(true);
  });

  it.each([
    ['no request id', { requestId: '' }],
    ['a time without a zone', { time: '2025-03-01T10:00:00' }],
    ['a status that is no HTTP status', { status: 42 }],
    ['a lower-case method', { method: 'post' }],
    ['a missing route', { route: undefined }],
  ])('refuses %s', (_what, change) => {
    expect(auditRecordedEventSchema.safeParse({ ...EVENT, ...change }).success).toBe(false);
  });
});
