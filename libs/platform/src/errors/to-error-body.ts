import { HttpException } from '@nestjs/common';
import { ErrorCode, type ErrorBody } from '@dispatch/contracts';
import { DispatchError, HTTP_STATUS_OF } from './dispatch-error';

export interface MappedError {
  status: number;
  body: Omit<ErrorBody, 'requestId'>;
  /** True when the client is not to blame: the error is logged with its stack. */
  internal: boolean;
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.VALIDATION_FAILED,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.ROUTE_NOT_FOUND,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: ErrorCode.RATE_LIMITED,
  503: ErrorCode.SERVICE_UNAVAILABLE,
};

/** Errors Fastify raises while reading a request reach us as bare HttpExceptions; say what to do. */
const HINTS: Partial<Record<ErrorCode, string>> = {
  PAYLOAD_TOO_LARGE: 'request body is larger than the limit; send a smaller body (the limit is BODY_LIMIT_BYTES)',
  UNSUPPORTED_MEDIA_TYPE: 'unsupported Content-Type; send application/json',
};

/** Maps anything thrown while serving a request to the status and body a client gets. */
export function toErrorBody(err: unknown): MappedError {
  if (err instanceof DispatchError) {
    return { status: err.httpStatus, body: withDetails(err.code, err.message, err.details), internal: false };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const code = STATUS_CODES[status];
    if (status === 404) {
      return {
        status,
        body: { code: ErrorCode.ROUTE_NOT_FOUND, message: `${err.message}; see /docs for the routes this API serves` },
        internal: false,
      };
    }
    if (code) return { status, body: { code, message: HINTS[code] ?? err.message }, internal: false };
  }
  const e = err as { code?: unknown; statusCode?: unknown; message?: unknown };
  if (e?.code === ErrorCode.BUS_TIMEOUT) {
    return {
      status: HTTP_STATUS_OF.BUS_TIMEOUT,
      body: { code: ErrorCode.BUS_TIMEOUT, message: 'a platform service did not answer in time; retry the request' },
      internal: true,
    };
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const code = STATUS_CODES[e.statusCode] ?? ErrorCode.VALIDATION_FAILED;
    return { status: e.statusCode, body: { code, message: String(e.message ?? 'bad request') }, internal: false };
  }
  return {
    status: 500,
    body: { code: ErrorCode.INTERNAL, message: 'internal error; the server log has the details under this requestId' },
    internal: true,
  };
}

function withDetails(code: ErrorCode, message: string, details: unknown): MappedError['body'] {
  return details === undefined ? { code, message } : { code, message, details };
}
