import type { AuditRecordedEvent } from '@dispatch/contracts';

/**
 * An audit event as a service's hook publishes it: user alice of org acme created a function
 * (POST /v1/function, 201, allowed), with `fields` changed; suites name only what they vary.
 */
export function auditEvent(fields: Partial<AuditRecordedEvent> = {}): AuditRecordedEvent {
  return {
    requestId: 'r1',
    time: '2025-03-01T10:00:00.000Z',
    service: 'function-manager',
    org: 'acme',
    subject: 'alice',
    subjectKind: 'user',
    resource: 'function',
    action: 'create',
    method: 'POST',
    route: '/v1/function',
    status: 201,
    result: 'allowed',
    ...fields,
  };
}
