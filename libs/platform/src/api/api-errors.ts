import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { ErrorCode, HTTP_STATUS_OF } from '@dispatch/contracts';
import { apiSchema, schemaObjectOf } from './api-schemas';

/** The body of every error (ErrorBody in the contracts), one component every error answer refers to. */
export const errorBodySchema = apiSchema(
  'DispatchError',
  z
    .object({
      code: z.string().meta({ description: 'Stable error code (libs/contracts/src/errors.ts); match on it, not on the message.' }),
      message: z.string().meta({ description: 'What went wrong and what to do about it.' }),
      details: z.unknown().optional().meta({ description: 'Structured detail, e.g. `problems` naming each bad field.' }),
      requestId: z.string().meta({ description: 'The X-Request-Id of the request: the server log has it.' }),
    })
    .meta({ description: 'Every error Dispatch answers has this body.' }),
  { code: 'NOT_FOUND', message: 'function "hello" not found', requestId: 'req-1' },
);

/** What each code means for a caller, as /docs says it beside the status. */
const MEANING: Partial<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: 'a field of the body or a query parameter breaks its rule; `details.problems` names each',
  INVALID_JSON: 'the body is not JSON',
  INVALID_CHARACTER: 'a NUL character (U+0000) in a path parameter, query or body; `details.field` names it',
  INVALID_URL: 'the path or query is not well percent-encoded',
  INVALID_PAGE_TOKEN: 'pageToken is not one this API returned',
  PATH_PARAMETER_TOO_LONG: 'a path segment is longer than any name or id',
  PAYLOAD_TOO_LARGE: 'the body is larger than the limit',
  UNSUPPORTED_MEDIA_TYPE: 'the body is neither JSON nor (where the route reads uploads) multipart form data',
  UNAUTHENTICATED: 'no bearer token, or one that does not verify',
  FORBIDDEN: "the caller's roles do not allow this",
  NOT_FOUND: "no such resource in the caller's org",
  NAME_CONFLICT: 'the name is taken in the org',
  ROUTE_CONFLICT: 'another API already serves this path on the same host',
  ROLE_NOT_FOUND: 'the role named does not exist in the org',
  ORGANIZATION_NOT_FOUND: 'no such organization',
  ORGANIZATION_NOT_EMPTY: 'the organization still holds resources',
  BUILTIN_ROLE: 'built-in roles cannot be changed',
  INVALID_PUBLIC_KEY: 'the public key is not an RSA key of at least 2048 bits in PEM',
  QUOTA_EXCEEDED: "the org's quota is used up",
  NOT_READY: 'the resource is being deleted',
  FUNCTION_NOT_READY: 'the function has no version that can serve yet',
  INVALID_ARCHIVE: 'the source archive cannot be read, or holds a path it may not',
  HANDLER_NOT_FOUND: 'the handler is not in the source',
  UNKNOWN_RUNTIME: 'the handler does not fit the runtime',
  INVALID_SCHEMA: 'inputSchema or outputSchema is not an acceptable JSON Schema',
  SERVICE_UNAVAILABLE: 'the server is stopping, or a platform service it needs does not answer',
  STORE_UNAVAILABLE: "the platform's database does not answer; retry after Retry-After",
  BUS_TIMEOUT: 'a platform service did not answer in time',
  INTERNAL: 'an unexpected failure; the server log has it under the requestId',
};

/** Any route can answer these: the URL and query checks run before any route, and anything may fail. */
const EVERY_ROUTE: ErrorCode[] = [ErrorCode.INVALID_URL, ErrorCode.INVALID_CHARACTER, ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.INTERNAL];

/** Every /v1 route checks the caller and asks the store. */
const AUTHENTICATED: ErrorCode[] = [...EVERY_ROUTE, ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN, ErrorCode.STORE_UNAVAILABLE];

/** Metadata key of the codes already documented on a handler, so a code shared by two decorators is described once. */
const DOCUMENTED_CODES = 'dispatch:documented-error-codes';

/**
 * Documents error answers of a route: each code under its HTTP status (HTTP_STATUS_OF), with the
 * DispatchError body, what it means, and an example named by the code. Several decorators may
 * document errors of one route (ApiZodBody, ApiPageQuery, ApiErrors); each code is added once.
 */
export function documentErrors(codes: readonly ErrorCode[]): MethodDecorator {
  return (target, key, descriptor) => {
    const handler = descriptor.value as object;
    const documented = (Reflect.getMetadata(DOCUMENTED_CODES, handler) as ErrorCode[] | undefined) ?? [];
    const fresh = [...new Set(codes)].filter((code) => !documented.includes(code));
    Reflect.defineMetadata(DOCUMENTED_CODES, [...documented, ...fresh], handler);
    for (const code of fresh) {
      const meaning = MEANING[code] ?? code;
      ApiResponse({
        status: HTTP_STATUS_OF[code],
        description: `\`${code}\`: ${meaning}`,
        schema: schemaObjectOf(errorBodySchema),
        examples: { [code]: { summary: meaning, value: { code, message: meaning, requestId: 'req-1' } } },
      })(target, key, descriptor);
    }
    return descriptor;
  };
}

/**
 * The errors an authenticated route answers: the codes given (what its own rules refuse), and
 * those of every /v1 route (401, 403, 400 INVALID_URL and INVALID_CHARACTER, 414 when it takes a
 * path parameter, 500, 503).
 */
export const ApiErrors = (...codes: ErrorCode[]): MethodDecorator => routeErrors([...codes, ...AUTHENTICATED]);

/** The errors of a route anyone may call (health): the codes given and those every route can answer. */
export const ApiPublicErrors = (...codes: ErrorCode[]): MethodDecorator => routeErrors([...codes, ...EVERY_ROUTE]);

function routeErrors(codes: ErrorCode[]): MethodDecorator {
  return (target, key, descriptor) => {
    // Parameter decorators run before method decorators, so the route's @Param arguments are known here.
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, target.constructor, key) ?? {}) as Record<string, unknown>;
    const takesPathParameter = Object.keys(args).some((arg) => arg.split(':')[0] === String(RouteParamtypes.PARAM));
    return documentErrors(takesPathParameter ? [...codes, ErrorCode.PATH_PARAMETER_TOO_LONG] : codes)(target, key, descriptor);
  };
}
