import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';

/**
 * The one place where what the function provider (OpenFaaS gateway or faas-local) answered, or
 * failed to answer, becomes a DispatchError. Every method of the client goes through here.
 *
 * | what happened                                   | DispatchError code (our HTTP)  | why                                                                                   |
 * |-------------------------------------------------|--------------------------------|---------------------------------------------------------------------------------------|
 * | 404 on a call about a named function            | NOT_FOUND (404)                | the function is not deployed there: the caller redeploys or reports it gone           |
 * | 404 on a call about no function (info, list)    | PROVIDER_ERROR (502)           | the URL is not an OpenFaaS gateway: an operator fixes the configuration               |
 * | 400 (deploy/update/scale refused)               | PROVIDER_ERROR (502)           | the provider refused the request; its message is included, it says what to change     |
 * | 401 / 403                                       | PROVIDER_ERROR (502)           | our gateway credentials are wrong or missing; not the end user's fault, never echoed  |
 * | other 4xx (405, 409, 413, …)                    | PROVIDER_ERROR (502)           | the provider refused; its status and message are in the error                         |
 * | 500 and other 5xx except below                  | PROVIDER_ERROR (502)           | the provider tried and failed (e.g. faas-netes vs the Kubernetes API): retrying the   |
 * |                                                 |                                | same request is unlikely to help, the provider's logs say why                         |
 * | 502 / 503 / 504                                 | SERVICE_UNAVAILABLE (503)      | the gateway is up but its provider/backend is not (yet): worth retrying later          |
 * | connection refused / reset / DNS / unreachable  | SERVICE_UNAVAILABLE (503)      | nothing answers at the URL: retry once it runs, or fix the URL                         |
 * | no answer within the client's timeout           | ProviderTimeoutError:          | retryable like 503, and recognisable (isProviderTimeout / details.failure='timeout')  |
 * |                                                 | SERVICE_UNAVAILABLE (503)      | so function-manager can record a run as TIMED_OUT rather than FAILED                  |
 * | 2xx/3xx other than the route's documented ones, | PROVIDER_ERROR (502)           | the peer does not speak the gateway API as ENDPOINTS.md describes                     |
 * | or a body that is not the documented JSON/NDJSON|                                |                                                                                       |
 *
 * `invoke` (POST /function/{name}) is the exception by design: any status the function or the
 * provider answered is returned to the caller, who decides what a 404/500 there means; only the
 * last three transport rows throw.
 *
 * Messages never contain request or response bodies other than the provider's own error text
 * (capped), and never the credentials: the URL in messages has its userinfo stripped.
 */

/** What the client was doing, for messages: `deploy function hello`, `read the gateway info`. */
export interface ProviderOperation {
  readonly action: string;
  /** The function concerned: with one, 404 means that function is unknown (NOT_FOUND). */
  readonly functionName?: string;
}

/** Thrown when the provider does not answer within the call's time budget. */
export class ProviderTimeoutError extends DispatchError {
  readonly failure = 'timeout' as const;

  constructor(
    message: string,
    readonly timeoutMs: number,
    provider: string,
  ) {
    super(ErrorCode.SERVICE_UNAVAILABLE, message, { failure: 'timeout', timeoutMs, provider });
    this.name = 'ProviderTimeoutError';
  }
}

export function isProviderTimeout(err: unknown): err is ProviderTimeoutError {
  return err instanceof ProviderTimeoutError;
}

const MAX_PROVIDER_TEXT = 300;

/** The provider's error text as one short line: gateways answer plain text, some answer `{message}`. */
export function providerText(body: Buffer | string | undefined): string {
  if (body === undefined || body.length === 0) return '';
  let text = (typeof body === 'string' ? body : body.subarray(0, 4 * MAX_PROVIDER_TEXT).toString('utf8')).trim();
  if (text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as { message?: unknown };
      if (typeof parsed.message === 'string') text = parsed.message;
    } catch {
      // not JSON after all (or cut off): keep the raw text
    }
  }
  text = text.replace(/\s+/g, ' ');
  return text.length > MAX_PROVIDER_TEXT ? `${text.slice(0, MAX_PROVIDER_TEXT)}…` : text;
}

/** The error for an HTTP answer the route does not accept as success. */
export function errorForStatus(op: ProviderOperation, status: number, body: Buffer | string | undefined, provider: string): DispatchError {
  const text = providerText(body);
  const said = text ? `: ${text}` : '';
  const details = { provider, status, ...(text ? { providerMessage: text } : {}) };
  if (status === 404 && op.functionName !== undefined) {
    return new DispatchError(
      ErrorCode.NOT_FOUND,
      `function ${op.functionName} not found on the provider at ${provider}: deploy it first, or check its name and namespace`,
      details,
    );
  }
  if (status === 404) {
    return new DispatchError(
      ErrorCode.PROVIDER_ERROR,
      `the provider at ${provider} has no such route (HTTP 404) to ${op.action}: check that the URL points at an OpenFaaS gateway`,
      details,
    );
  }
  if (status === 400) {
    return new DispatchError(
      ErrorCode.PROVIDER_ERROR,
      `the provider at ${provider} refused to ${op.action} (HTTP 400)${said || ': no reason given'}; change what it names and retry`,
      details,
    );
  }
  if (status === 401 || status === 403) {
    return new DispatchError(
      ErrorCode.PROVIDER_ERROR,
      `the provider at ${provider} rejected the gateway credentials (HTTP ${status}) when asked to ${op.action}: check the basic-auth user and password configured for the OpenFaaS gateway`,
      { provider, status },
    );
  }
  if (status === 502 || status === 503 || status === 504) {
    return new DispatchError(
      ErrorCode.SERVICE_UNAVAILABLE,
      `the provider at ${provider} is unavailable (HTTP ${status}) and could not ${op.action}${said}; retry later, and check that the gateway's provider is running`,
      details,
    );
  }
  if (status >= 500) {
    return new DispatchError(
      ErrorCode.PROVIDER_ERROR,
      `the provider at ${provider} failed to ${op.action} (HTTP ${status})${said}; see the provider's logs`,
      details,
    );
  }
  return new DispatchError(
    ErrorCode.PROVIDER_ERROR,
    `the provider at ${provider} answered HTTP ${status} when asked to ${op.action}${said}; this is not what the OpenFaaS gateway API answers there`,
    details,
  );
}

/** A 2xx answer whose body is not what the route documents (not JSON, not NDJSON, wrong shape). */
export function errorForBadBody(op: ProviderOperation, problem: string, provider: string): DispatchError {
  return new DispatchError(
    ErrorCode.PROVIDER_ERROR,
    `the provider at ${provider} answered a body that is not the OpenFaaS gateway's when asked to ${op.action} (${problem}): check that the URL points at an OpenFaaS gateway`,
    { provider },
  );
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'ERR_SOCKET_CLOSED',
]);
const TIMED_OUT = new Set(['ETIMEDOUT', 'ECONNABORTED', 'UND_ERR_CONNECT_TIMEOUT']);

/** The errno-style code of a transport failure, looking through axios wrappers and AggregateErrors. */
export function transportCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNREACHABLE.has(code) || TIMED_OUT.has(code))) return code;
    const inner = (e as { errors?: unknown[] }).errors;
    e = Array.isArray(inner) && inner.length ? inner[0] : (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function timeoutError(op: ProviderOperation, timeoutMs: number, provider: string): ProviderTimeoutError {
  return new ProviderTimeoutError(
    `the provider at ${provider} did not answer within ${timeoutMs} ms when asked to ${op.action}: retry, or allow it more time`,
    timeoutMs,
    provider,
  );
}

export function unreachableError(code: string, provider: string): DispatchError {
  return new DispatchError(
    ErrorCode.SERVICE_UNAVAILABLE,
    `function provider at ${provider} is not reachable (${code}): check that it is running and that its URL is right`,
    { provider, failure: 'unavailable', cause: code },
  );
}

/**
 * The error for a request that got no HTTP answer, or `undefined` when `err` is not a transport
 * failure (a bug or a failed contract check), which the caller rethrows unchanged.
 */
export function errorForTransport(op: ProviderOperation, err: unknown, provider: string, timeoutMs: number): DispatchError | undefined {
  const code = transportCode(err);
  if (code === undefined) return undefined;
  return TIMED_OUT.has(code) ? timeoutError(op, timeoutMs, provider) : unreachableError(code, provider);
}

/** The provider's URL as messages may show it: without userinfo, query or trailing slash. */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}
