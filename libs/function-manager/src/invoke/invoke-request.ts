import { ErrorCode, GATEWAY_API_HEADER, GATEWAY_AUTH_HEADER, GATEWAY_SECRET_HEADER, type HttpContext } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';

/**
 * Headers a function never sees: the caller's credentials (bearer tokens, Kong's default key
 * names, cookies), the gateway's secret, and what the gateway added about the consumer (the
 * verified subject is given as `subject` instead).
 */
const HIDDEN_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'apikey',
  'x-api-key',
  'cookie',
  GATEWAY_SECRET_HEADER,
  GATEWAY_AUTH_HEADER,
  GATEWAY_API_HEADER,
  'x-consumer-id',
  'x-consumer-username',
  'x-consumer-custom-id',
  'x-credential-identifier',
  'x-anonymous-consumer',
]);

/** The request's headers as a function sees them: lower-case names, credentials removed, repeats joined by ', '. */
export function visibleHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const visible: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (value === undefined || HIDDEN_HEADERS.has(key)) continue;
    visible[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return visible;
}

export interface InvokeRequestParts {
  method: string;
  /** The path after `/v1/invoke/{org}/{function}`, without its query. */
  path: string;
  /** The raw query string, without '?'. */
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  subject: string | null;
  scheme: string;
}

/** The query as an object: a name given once maps to its value, a repeated one to the list of its values. */
export function queryObject(rawQuery: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(rawQuery)) {
    const seen = query[name];
    query[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return query;
}

/**
 * The function's `context.httpContext`: method, path, query, headers and subject; and, beside
 * them, Dispatch's flat fields (every header by name, `method`, `uri`, `args`, `request-uri`,
 * `scheme`), which Dispatch's gateway plugin put there, so its functions read them unchanged.
 */
export function httpContextOf(parts: InvokeRequestParts): HttpContext {
  const headers = visibleHeaders(parts.headers);
  const path = parts.path === '' ? '/' : parts.path.startsWith('/') ? parts.path : `/${parts.path}`;
  const requestUri = parts.rawQuery ? `${path}?${parts.rawQuery}` : path;
  return {
    ...headers,
    uri: path,
    args: parts.rawQuery,
    'request-uri': requestUri,
    scheme: parts.scheme,
    method: parts.method.toUpperCase(),
    path,
    query: queryObject(parts.rawQuery),
    headers,
    subject: parts.subject,
  };
}

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json$/;
const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * The run's input from the request body by its content type: JSON parsed; a form as an object of
 * its fields and text as a string (both as Dispatch's gateway plugin gave them); anything else as
 * `{contentType, base64}`. A request without a body gives its query as the input, an empty object
 * when it has none: Dispatch's GET APIs read their parameters from the payload, and its functions
 * count on an object.
 */
export function inputOf(body: Buffer | undefined, contentType: string | undefined, rawQuery: string): unknown {
  if (!body || body.length === 0) return queryObject(rawQuery);
  const mediaType = (contentType ?? 'application/octet-stream').split(';')[0].trim().toLowerCase();
  if (JSON_TYPE.test(mediaType)) {
    try {
      return JSON.parse(body.toString('utf8')) as unknown;
    } catch (err) {
      throw new DispatchError(ErrorCode.INVALID_JSON, `body is not valid JSON (Content-Type is ${mediaType}): ${(err as Error).message}`);
    }
  }
  if (mediaType === FORM_TYPE) return queryObject(body.toString('utf8'));
  if (mediaType.startsWith('text/')) return body.toString('utf8');
  return { contentType: mediaType, base64: body.toString('base64') };
}
