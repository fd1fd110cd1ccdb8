/** The version the gateway answers as, in Server and Via, so clients see the Kong they were written for. */
export const KONG_VERSION = '3.9.0';
export const KONG_SERVER = `kong/${KONG_VERSION}`;

/** Kong's default messages by status (kong/error_handlers.lua and kong/tools/http.lua). */
const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  411: 'Length required',
  413: 'Payload too large',
  417: 'Expectation failed',
  429: 'API rate limit exceeded',
  500: 'An unexpected error occurred',
  502: 'An invalid response was received from the upstream server',
  503: 'The upstream server is currently unavailable',
  504: 'The upstream server is timing out',
};

/** A response the gateway makes itself: a plugin's kong.response.exit/error, or a proxy error. */
export interface KongExit {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const MIME_TYPES: Record<string, string> = {
  'text/html': 'text/html; charset=utf-8',
  'application/json': 'application/json; charset=utf-8',
  'text/plain': 'text/plain; charset=utf-8',
  'application/xml': 'application/xml; charset=utf-8',
  application: 'application/json; charset=utf-8',
  text: 'text/plain; charset=utf-8',
};
const DEFAULT_TYPE = 'application/json; charset=utf-8';
const ACCEPT_VALUE =
  /^((?:[a-z0-9][a-z0-9\-!#$&^_+.]+|\*)\/(?:[a-z0-9][a-z0-9\-!#$&^_+.]+|\*))(?:\s*;\s*q=(1(?:\.0{0,3})?|0(?:\.\d{0,3})?)|\s*;\s*[a-z0-9][a-z0-9\-!#$&^_+.]+(?:=[^;]*)?)*/i;

/** Kong's get_mime_type: `type/*` takes the type's default, unknown types JSON. */
function mimeType(mediaType: string): string {
  const [type, subtype] = mediaType.toLowerCase().split('/') as [string, string];
  if (subtype === '*') return type === '*' ? DEFAULT_TYPE : (MIME_TYPES[type] ?? DEFAULT_TYPE);
  return MIME_TYPES[`${type}/${subtype}`] ?? DEFAULT_TYPE;
}

/** Kong's get_response_type: the Accept value of the highest q (the first of equals) picks the format. */
export function errorResponseType(accept: string | undefined): string {
  let type = DEFAULT_TYPE;
  let best = 0;
  for (const value of (accept ?? '').split(',')) {
    const found = ACCEPT_VALUE.exec(value.trim());
    if (!found) continue;
    const quality = found[2] === undefined ? 1 : Number(found[2]);
    if (quality > best) {
      best = quality;
      type = mimeType(found[1]!);
    }
  }
  return type;
}

function errorBody(type: string, message: string, requestId: string): string {
  if (type.startsWith('text/html')) {
    return `<!doctype html>\n<html>\n  <head>\n    <meta charset="utf-8">\n    <title>Error</title>\n  </head>\n  <body>\n    <h1>Error</h1>\n    <p>${message}.</p>\n    <p>request_id: ${requestId}</p>\n  </body>\n</html>\n`;
  }
  if (type.startsWith('application/xml')) {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<error>\n  <message>${message}</message>\n  <requestid>${requestId}</requestid>\n</error>\n`;
  }
  if (type.startsWith('text/plain')) return `${message}\nrequest_id: ${requestId}\n`;
  return `{\n  "message":${JSON.stringify(message)},\n  "request_id":${JSON.stringify(requestId)}\n}`;
}

/**
 * Kong's `kong.response.error(status, message, headers)`: the body in the format the client's
 * Accept prefers (JSON by default, or HTML, XML, text), in Kong's templates, with the request id.
 */
export function kongError(
  status: number,
  message: string | undefined,
  requestId: string,
  accept?: string,
  headers: Record<string, string> = {},
): KongExit {
  const text = message ?? DEFAULT_MESSAGES[status] ?? `The upstream server responded with ${status}`;
  const type = errorResponseType(accept);
  return { status, headers: { 'content-type': type, ...headers }, body: errorBody(type, text, requestId) };
}

/** Kong's `kong.response.exit(status)` with no body (a CORS preflight). */
export function kongEmptyExit(status: number, headers: Record<string, string> = {}): KongExit {
  return { status, headers, body: '' };
}
