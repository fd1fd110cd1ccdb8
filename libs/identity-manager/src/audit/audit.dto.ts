import { z } from 'zod';
import { ACTIONS, ErrorCode, NAME_MAX_LENGTH, NAME_PATTERN, RESOURCES } from '@dispatch/contracts';
import { DispatchError, parsePageQuery } from '@dispatch/platform';
import { type AuditQuery, auditTimestamp, decodeCursor } from './audit-query';

/** `GET /v1/iam/audit` query parameters; anything else is refused, so a misspelt filter never silently widens the answer. */
const auditQuerySchema = z
  .strictObject(
    {
      pageSize: z.string().optional(),
      pageToken: z.string().optional(),
      /** Platform admins only: whose events (default: the caller's org). */
      org: z.string().max(NAME_MAX_LENGTH).regex(NAME_PATTERN, 'must be an organization name').optional(),
      /** Platform admins only: requests refused before a principal was verified (they carry no org). */
      anonymous: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
      subject: z.string().min(1).max(256).optional(),
      resource: z.enum(RESOURCES, { error: `must be one of ${RESOURCES.join(', ')}` }).optional(),
      action: z.enum(ACTIONS, { error: `must be one of ${ACTIONS.join(', ')}` }).optional(),
      result: z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be "allowed" or an error code such as FORBIDDEN')
        .optional(),
      requestId: z.string().min(1).max(128).optional(),
      since: auditTimestamp.optional(),
      until: auditTimestamp.optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown query parameter(s): ${issue.keys.join(', ')}` : undefined) },
  )
  .refine((q) => q.since === undefined || q.until === undefined || Date.parse(q.since) < Date.parse(q.until), {
    path: ['until'],
    message: 'must be later than since',
  });

/** Validates the list query: 400 VALIDATION_FAILED naming each bad parameter. */
export function parseAuditQuery(query: unknown): AuditQuery {
  const parsed = auditQuerySchema.safeParse(query ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({
      field: i.code === 'unrecognized_keys' ? i.keys.join(', ') : i.path.join('.') || '(query)',
      problem: i.message,
    }));
    throw new DispatchError(ErrorCode.VALIDATION_FAILED, `invalid query: ${problems.map((p) => `${p.field}: ${p.problem}`).join('; ')}`, {
      problems,
    });
  }
  const q = parsed.data;
  const page = parsePageQuery({ pageSize: q.pageSize, pageToken: q.pageToken });
  return {
    org: q.org,
    anonymous: q.anonymous === 'true',
    filter: {
      subject: q.subject,
      resource: q.resource,
      action: q.action,
      result: q.result,
      requestId: q.requestId,
      since: q.since === undefined ? undefined : new Date(q.since),
      until: q.until === undefined ? undefined : new Date(q.until),
    },
    limit: page.limit,
    after: page.after === undefined ? undefined : decodeCursor(page.after),
  };
}
