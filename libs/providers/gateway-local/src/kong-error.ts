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

/**
 * Kong's `kong.response.error(status, message, headers)`: JSON unless the client asks for text or
 * HTML, always with the request id, in Kong's own template.
 */
export function kongError(
  status: number,
  message: string | undefined,
  requestId: string,
  accept?: string,
  headers: Record<string, string> = {},
): KongExit {
  const text = message ?? DEFAULT_MESSAGES[status] ?? `The upstream server responded with ${status}`;
  const wants = (accept ?? '').toLowerCase();
  if (wants.includes('text/plain') && !wants.includes('json')) {
    return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body: `${text}\nrequest_id: ${requestId}\n` };
  }
  const body = `{\n  "message":${JSON.stringify(text)},\n  "request_id":${JSON.stringify(requestId)}\n}`;
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body };
}

/** Kong's `kong.response.exit(status)` with no body (a CORS preflight). */
export function kongEmptyExit(status: number, headers: Record<string, string> = {}): KongExit {
  return { status, headers, body: '' };
}
