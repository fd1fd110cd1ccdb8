import type { ErrorCode } from './errors';

/** The HTTP status of each code: the single table the error filter answers from. */
export const HTTP_STATUS_OF: Record<ErrorCode, number> = {
  ROUTE_NOT_FOUND: 404,
  INVALID_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  VALIDATION_FAILED: 400,
  INVALID_PAGE_TOKEN: 400,
  INVALID_CHARACTER: 400,
  INVALID_URL: 400,
  PATH_PARAMETER_TOO_LONG: 414,
  METHOD_NOT_ALLOWED: 405,
  MALFORMED_REQUEST: 400,
  HEADERS_TOO_LARGE: 431,
  REQUEST_TIMEOUT: 408,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  NAME_CONFLICT: 409,
  ROUTE_CONFLICT: 409,
  ROLE_NOT_FOUND: 400,
  ORGANIZATION_NOT_FOUND: 404,
  ORGANIZATION_NOT_EMPTY: 409,
  BUILTIN_ROLE: 400,
  INVALID_PUBLIC_KEY: 400,
  QUOTA_EXCEEDED: 429,
  RATE_LIMITED: 429,
  NOT_READY: 409,
  FUNCTION_NOT_READY: 409,
  FUNCTION_STARTING: 503,
  INPUT_REJECTED: 400,
  FUNCTION_FAILED: 502,
  FUNCTION_TIMED_OUT: 504,
  IDEMPOTENCY_KEY_REUSED: 422,
  INVALID_ARCHIVE: 400,
  HANDLER_NOT_FOUND: 400,
  UNKNOWN_RUNTIME: 400,
  INPUT_SCHEMA_VIOLATION: 400,
  INVALID_SCHEMA: 400,
  PROVIDER_ERROR: 502,
  BUS_TIMEOUT: 504,
  SERVICE_UNAVAILABLE: 503,
  STORE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** An error a client can act on: a stable code, a message saying what to fix, optional details. */
export class DispatchError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DispatchError';
  }

  get httpStatus(): number {
    return HTTP_STATUS_OF[this.code];
  }
}
