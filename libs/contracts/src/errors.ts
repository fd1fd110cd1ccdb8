/**
 * Stable error codes. Clients match on these strings, so a code is never renamed or reused;
 * the HTTP status each maps to lives in libs/platform (one filter, one table).
 */
export const ErrorCode = {
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  INVALID_JSON: 'INVALID_JSON',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  INVALID_PAGE_TOKEN: 'INVALID_PAGE_TOKEN',
  /** A NUL character (U+0000) in a path, query or body value: PostgreSQL text and jsonb cannot hold it. */
  INVALID_CHARACTER: 'INVALID_CHARACTER',
  /** A URL whose percent-encoding does not decode (`%ZZ`, a truncated UTF-8 sequence). */
  INVALID_URL: 'INVALID_URL',
  /** A path segment longer than any name or id the API serves. */
  PATH_PARAMETER_TOO_LONG: 'PATH_PARAMETER_TOO_LONG',
  /** The path exists, but not with this method: the `Allow` header lists those it has. */
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  /** Not well-formed HTTP: answered before any route is looked up. */
  MALFORMED_REQUEST: 'MALFORMED_REQUEST',
  /** The request line and headers together are larger than the server reads. */
  HEADERS_TOO_LARGE: 'HEADERS_TOO_LARGE',
  /** The request did not arrive in full within the server's request timeout. */
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  NAME_CONFLICT: 'NAME_CONFLICT',
  /** An API's path is already served by another API (of any org) on the same host. */
  ROUTE_CONFLICT: 'ROUTE_CONFLICT',
  ROLE_NOT_FOUND: 'ROLE_NOT_FOUND',
  ORGANIZATION_NOT_FOUND: 'ORGANIZATION_NOT_FOUND',
  ORGANIZATION_NOT_EMPTY: 'ORGANIZATION_NOT_EMPTY',
  BUILTIN_ROLE: 'BUILTIN_ROLE',
  INVALID_PUBLIC_KEY: 'INVALID_PUBLIC_KEY',
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  RATE_LIMITED: 'RATE_LIMITED',
  NOT_READY: 'NOT_READY',
  /** A run asked of a function that cannot serve yet (not READY). */
  FUNCTION_NOT_READY: 'FUNCTION_NOT_READY',
  /** Invocation through the gateway: the function cannot serve yet (deploying or scaling); retry after Retry-After. */
  FUNCTION_STARTING: 'FUNCTION_STARTING',
  /** Invocation through the gateway: the function refused its input (an InputError). */
  INPUT_REJECTED: 'INPUT_REJECTED',
  /** Invocation through the gateway: the function failed (a FunctionError). */
  FUNCTION_FAILED: 'FUNCTION_FAILED',
  /** Invocation through the gateway: the function ran past its timeout. */
  FUNCTION_TIMED_OUT: 'FUNCTION_TIMED_OUT',
  /** An Idempotency-Key already answered a different request within its window. */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** An uploaded function source that is not a readable tar.gz/tar/zip, or breaks its limits. */
  INVALID_ARCHIVE: 'INVALID_ARCHIVE',
  /** The function's handler is not in its source. */
  HANDLER_NOT_FOUND: 'HANDLER_NOT_FOUND',
  UNKNOWN_RUNTIME: 'UNKNOWN_RUNTIME',
  /** A run's input or a function's declared JSON schema is not acceptable. */
  INPUT_SCHEMA_VIOLATION: 'INPUT_SCHEMA_VIOLATION',
  INVALID_SCHEMA: 'INVALID_SCHEMA',
  /** The function provider (OpenFaaS, faas-local) failed or refused a call. */
  PROVIDER_ERROR: 'PROVIDER_ERROR',
  BUS_TIMEOUT: 'BUS_TIMEOUT',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** The platform's database does not answer (restarting, unreachable): retry after Retry-After. */
  STORE_UNAVAILABLE: 'STORE_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Body of every error answered by a Dispatch service. */
export interface ErrorBody {
  code: ErrorCode | string;
  message: string;
  details?: unknown;
  requestId: string;
}
