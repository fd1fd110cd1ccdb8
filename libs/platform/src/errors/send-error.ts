import type { FastifyReply } from 'fastify';
import type { MappedError } from './to-error-body';

/**
 * Writes an error answer: its status, `Retry-After` when it passes, `X-Request-Id` (also when a
 * check ahead of the hook that sets it refused the request), and `{code, message, details?, requestId}`.
 */
export function sendErrorBody(reply: FastifyReply, requestId: string, mapped: MappedError): void {
  if (mapped.retryAfterSeconds !== undefined) void reply.header('retry-after', String(mapped.retryAfterSeconds));
  void reply.header('x-request-id', requestId);
  void reply
    .status(mapped.status)
    .header('content-type', 'application/json; charset=utf-8')
    .send({ ...mapped.body, requestId });
}
