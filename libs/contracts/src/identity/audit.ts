import { z } from 'zod';

const text = (max: number) => z.string().min(1).max(max);

/**
 * One mutation of any service's API, for the audit log (DESIGN §9). Unknown fields are ignored,
 * so a newer publisher can add some.
 */
export const auditRecordedEventSchema = z.object({
  /** The request id: unique per request, so a redelivered event is stored once. */
  requestId: text(128),
  time: z.iso.datetime({ offset: true }),
  service: text(128),
  org: text(253).nullable(),
  subject: text(1024).nullable(),
  subjectKind: text(32).nullable(),
  resource: text(64).nullable(),
  action: text(64).nullable(),
  method: z.string().regex(/^[A-Z]{1,16}$/),
  route: text(2048),
  /** HTTP status of the answer; the result is `allowed` below 400, else the error code. */
  status: z.number().int().min(100).max(599),
  result: text(64),
});
export type AuditRecordedEvent = z.infer<typeof auditRecordedEventSchema>;
