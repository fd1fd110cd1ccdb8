import { z } from 'zod';
import { auditRecordedEventSchema } from '@dispatch/contracts';
import { apiSchema } from '@dispatch/platform';

/** One event of the audit log as the API answers it. */
export const auditEventViewSchema = apiSchema('AuditEvent', auditRecordedEventSchema.extend({ id: z.uuid() }), {
  id: '2c5e8f1a-7b3d-4c9e-a1f0-3d5b7c9e1f2a',
  requestId: 'req-1',
  time: '2026-12-07T10:00:00.000Z',
  service: 'dispatch',
  org: 'default',
  subject: 'admin',
  subjectKind: 'serviceaccount',
  resource: 'function',
  action: 'create',
  method: 'POST',
  route: '/v1/function',
  status: 201,
  result: 'allowed',
});
