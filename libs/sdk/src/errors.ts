/**
 * Every answer of the API outside 2xx, as the client throws it: the fields of the error body
 * Dispatch services send (`{code, message, details, requestId}`, ErrorBody in libs/contracts), with
 * the HTTP status. A body that is not such JSON (a proxy's page, an empty answer) gives code
 * `UNEXPECTED_RESPONSE`, its text as the message, and the `x-request-id` header when there is one.
 */
export class DispatchApiError extends Error {
  override readonly name = 'DispatchApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
    readonly requestId: string | undefined,
  ) {
    super(message);
  }

  /** The error a non-2xx response stands for; reads a clone, so the response stays unread. */
  static async fromResponse(response: Response): Promise<DispatchApiError> {
    const text = await response
      .clone()
      .text()
      .catch(() => '');
    const headerId = response.headers.get('x-request-id') ?? undefined;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (isErrorBody(body)) return new DispatchApiError(response.status, body.code, body.message, body.details, body.requestId ?? headerId);
    const excerpt = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    const message = `unexpected response ${response.status} ${response.statusText}${excerpt ? `: ${excerpt}` : ''}`;
    return new DispatchApiError(response.status, 'UNEXPECTED_RESPONSE', message, undefined, headerId);
  }
}

function isErrorBody(body: unknown): body is { code: string; message: string; details?: unknown; requestId?: string } {
  if (body === null || typeof body !== 'object') return false;
  const b = body as Record<string, unknown>;
  return typeof b.code === 'string' && typeof b.message === 'string' && (b.requestId === undefined || typeof b.requestId === 'string');
}
