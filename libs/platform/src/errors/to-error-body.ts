import { HttpException } from '@nestjs/common';
import { ErrorCode, type ErrorBody } from '@dispatch/contracts';
import { isStoreUnavailable } from '@dispatch/persistence';
import { DispatchError, HTTP_STATUS_OF } from './dispatch-error';

export interface MappedError {
  status: number;
  body: Omit<ErrorBody, 'requestId'>;
  /** True when the client is not to blame: the error is logged with its stack. */
  internal: boolean;
  /** Seconds a client should wait before trying again (the `Retry-After` header), for failures that pass. */
  retryAfterSeconds?: number;
}

/** How long a client is told to wait while the database is away: solo restarts it within seconds. */
export const STORE_RETRY_AFTER_SECONDS = 2;

const STATUS_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.VALIDATION_FAILED,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
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

/** Nest's router answers an unmatched route with this message; an app's own 404s never do. */
const ROUTER_NOT_FOUND = /^Cannot [A-Z]+ \//;

/** Maps anything thrown while serving a request to the status and body a client gets. */
export function toErrorBody(err: unknown): MappedError {
  if (err instanceof DispatchError) {
    const mapped: MappedError = { status: err.httpStatus, body: withDetails(err.code, err.message, err.details), internal: false };
    return err.code === ErrorCode.STORE_UNAVAILABLE ? { ...mapped, retryAfterSeconds: STORE_RETRY_AFTER_SECONDS } : mapped;
  }
  if (err instanceof HttpException) return fromHttpException(err);
  if (isStoreUnavailable(err)) return storeUnavailable();
  const e = err as { name?: unknown; code?: unknown; message?: unknown };
  if (e?.code === ErrorCode.BUS_TIMEOUT) {
    return {
      status: HTTP_STATUS_OF.BUS_TIMEOUT,
      body: { code: ErrorCode.BUS_TIMEOUT, message: 'a platform service did not answer in time; retry the request' },
      internal: true,
    };
  }
  // Another service refused a request with one of our codes: the client gets that answer.
  if (e?.name === 'BusRemoteError' && isClientCode(e.code)) {
    return { status: HTTP_STATUS_OF[e.code], body: { code: e.code, message: String(e.message) }, internal: false };
  }
  return internalError();
}

function fromHttpException(err: HttpException): MappedError {
  const status = err.getStatus();
  if (status >= 500)
    return status === 503
      ? { status, body: { code: ErrorCode.SERVICE_UNAVAILABLE, message: err.message }, internal: true }
      : internalError();
  if (status === 404) {
    return ROUTER_NOT_FOUND.test(err.message)
      ? {
          status,
          body: { code: ErrorCode.ROUTE_NOT_FOUND, message: `${err.message}; see /docs for the routes this API serves` },
          internal: false,
        }
      : { status, body: { code: ErrorCode.NOT_FOUND, message: err.message }, internal: false };
  }
  const code = STATUS_CODES[status] ?? ErrorCode.VALIDATION_FAILED;
  const response = err.getResponse();
  // class-validator style bodies carry the list of problems in `message`.
  const problems = typeof response === 'object' && response !== null ? (response as { message?: unknown }).message : undefined;
  const details = Array.isArray(problems) ? { problems } : undefined;
  const message = HINTS[code] ?? (Array.isArray(problems) ? problems.join('; ') : err.message);
  return { status, body: withDetails(code, message, details), internal: false };
}

/** What a client is told while the database is down or restarting: nothing was done, and the same request may succeed shortly. */
export const STORE_UNAVAILABLE_MESSAGE = `the platform's database does not answer (it may be restarting); retry in ${STORE_RETRY_AFTER_SECONDS} s`;

function storeUnavailable(): MappedError {
  return {
    status: HTTP_STATUS_OF.STORE_UNAVAILABLE,
    body: { code: ErrorCode.STORE_UNAVAILABLE, message: STORE_UNAVAILABLE_MESSAGE },
    internal: true,
    retryAfterSeconds: STORE_RETRY_AFTER_SECONDS,
  };
}

function isClientCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && code in HTTP_STATUS_OF && HTTP_STATUS_OF[code as ErrorCode] < 500;
}

function internalError(): MappedError {
  return {
    status: 500,
    body: { code: ErrorCode.INTERNAL, message: 'internal error; the server log has the details under this requestId' },
    internal: true,
  };
}

function withDetails(code: ErrorCode, message: string, details: unknown): MappedError['body'] {
  return details === undefined ? { code, message } : { code, message, details };
}
