import type { AuditRecordedEvent, EventSubject, Principal } from '@dispatch/contracts';

/** The subject every service publishes its audit events on; identity-manager stores them. */
export const AUDIT_SUBJECT = 'identity.audit.recorded.v1' satisfies EventSubject;

const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const API_PATH = /^\/v1(?:[/?]|$)/;
/** Error bodies are small; anything larger is not one of ours and is not parsed. */
const MAX_ERROR_BODY_CHARS = 16 * 1024;
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * Whether a request belongs in the audit log: a mutation (POST/PUT/PATCH/DELETE) of a `/v1`
 * route, whatever its answer (refusals included). Requests no route matched (404
 * ROUTE_NOT_FOUND) change nothing and are left out, so scanning cannot flood the log.
 */
export function isAuditedRequest(method: string, url: string, route: string | undefined): boolean {
  return route !== undefined && MUTATIONS.has(method.toUpperCase()) && API_PATH.test(url);
}

/**
 * The result recorded for an answer: `allowed` below 400; otherwise the stable error code the
 * error filter put in the body (`UNAUTHENTICATED`, `FORBIDDEN`, `VALIDATION_FAILED`, …); when
 * the body carries none, `denied` for 401/403 and `failed` for anything else.
 */
export function auditResultOf(status: number, code: string | undefined): string {
  if (status < 400) return 'allowed';
  if (code !== undefined) return code;
  return status === 401 || status === 403 ? 'denied' : 'failed';
}

/** The `code` of a Dispatch error body (`{code, message, requestId}`) as Fastify is about to send it. */
export function errorCodeOfPayload(payload: unknown): string | undefined {
  let text: string | undefined;
  if (typeof payload === 'string') text = payload;
  else if (Buffer.isBuffer(payload) && payload.length <= MAX_ERROR_BODY_CHARS) text = payload.toString('utf8');
  if (text === undefined || text.length > MAX_ERROR_BODY_CHARS || !text.startsWith('{')) return undefined;
  try {
    const code = (JSON.parse(text) as { code?: unknown }).code;
    return typeof code === 'string' && ERROR_CODE.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

/** What the hook knows about a request once it is answered. Bodies and headers are not part of it. */
export interface AuditedRequestFacts {
  /** The request id (X-Request-Id). */
  id: string;
  method: string;
  /** The route pattern, e.g. `/v1/iam/policies/:name`. */
  route: string;
  principal?: Pick<Principal, 'org' | 'subject' | 'kind'>;
  /** What the route's `@Authorize` requires; routes that check permissions themselves name none. */
  authzRequirement?: { resource?: string; action?: string };
  status: number;
  /** The error code of the answer's body, when it had one. */
  code?: string;
}

/**
 * Builds the event from named facts only: never the body (it may hold secrets) nor headers (they
 * hold credentials), nor the URL (path parameters and query strings can carry data); the route
 * pattern says what was called.
 */
export function buildAuditEvent(facts: AuditedRequestFacts, service: string, time: Date): AuditRecordedEvent {
  return {
    requestId: facts.id,
    time: time.toISOString(),
    service,
    org: facts.principal?.org ?? null,
    subject: facts.principal?.subject ?? null,
    subjectKind: facts.principal?.kind ?? null,
    resource: facts.authzRequirement?.resource ?? null,
    action: facts.authzRequirement?.action ?? null,
    method: facts.method.toUpperCase(),
    route: facts.route,
    status: facts.status,
    result: auditResultOf(facts.status, facts.code),
  };
}
