import { DispatchError, ErrorCode } from '@dispatch/contracts';

/**
 * The one place where what the Kong Admin API answered, or failed to answer, becomes an error.
 * Every method of KongAdminClient goes through here.
 *
 * | what happened                                     | error                                  | why                                                                     |
 * |---------------------------------------------------|----------------------------------------|-------------------------------------------------------------------------|
 * | 4xx, 500 with Kong's error body                   | KongApiError (PROVIDER_ERROR, 502)     | Kong refused or failed: its `name`, `message` and `fields` say what,    |
 * |                                                   |                                        | the caller decides (404 → absent, 409 → someone else owns the name, …) |
 * | 401 / 403                                         | KongApiError, message never echoed     | the admin token is wrong or missing: an operator fixes the config      |
 * | 502 / 503 / 504                                   | KongUnavailableError (503)             | Kong is up but its database (or a proxy in front of it) is not          |
 * | connection refused / reset / DNS / unreachable    | KongUnavailableError (503)             | nothing answers at the URL: retry once it runs, or fix the URL          |
 * | no answer within the client's timeout             | KongUnavailableError (503), timeout    | retryable like any 503                                                  |
 * | a 2xx whose body is not the JSON the route answers| KongApiError (502), name 'bad response'| the peer does not speak the Kong Admin API                              |
 *
 * Kong's own error body comes from kong/db/errors.lua: `{code, name, message, fields}` for the
 * DAO errors (2 schema violation → 400, 3/4 primary/foreign key violation → 400, 5 unique
 * constraint violation → 409, 7/9 invalid offset/size → 400), and a bare `{message}` for the
 * endpoints' own answers (`{"message":"Not found"}`). Both are read here and nowhere else.
 * Messages never carry the admin token, and request bodies (which hold credentials) never.
 */

/** Kong's error body: every field may be absent but `message`. */
export interface KongErrorBody {
  /** kong/db/errors.lua code: 2 schema violation, 5 unique constraint violation, … */
  code?: number;
  /** e.g. `schema violation`, `unique constraint violation`, `not found`. */
  name?: string;
  message: string;
  /** Per-field problems, nested like the entity (`{config: {minute: 'expected a number'}}`). */
  fields?: Record<string, unknown>;
}

/** What the client was doing, for messages: `upsert service dispatch-acme-hello`. */
export interface KongOperation {
  readonly action: string;
  /** The request names a credential (a key-auth key): Kong's message and fields, which may quote it, are withheld. */
  readonly secret?: boolean;
}

/** Kong answered an error (or an answer that is not Kong's): status, Kong's name, message and fields. */
export class KongApiError extends DispatchError {
  constructor(
    message: string,
    /** The HTTP status Kong answered. */
    readonly status: number,
    /** Kong's error body as it came (`message` only, when Kong said less). */
    readonly kong: KongErrorBody,
    admin: string,
  ) {
    super(ErrorCode.PROVIDER_ERROR, message, { kong: admin, status, ...(kong.name ? { kongError: kong.name } : {}) });
    this.name = 'KongApiError';
  }

  /** Kong's per-field problems, empty when it gave none. */
  get fields(): Record<string, unknown> {
    return this.kong.fields ?? {};
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  get isConflict(): boolean {
    return this.status === 409;
  }
}

/** Kong could not be asked: not reachable, too slow, or up without its database. Callers answer 503. */
export class KongUnavailableError extends DispatchError {
  constructor(
    message: string,
    /** `unreachable` (no connection), `timeout` (no answer in time), `unavailable` (Kong said 502/503/504). */
    readonly failure: 'unreachable' | 'timeout' | 'unavailable',
    admin: string,
    cause?: string,
  ) {
    super(ErrorCode.SERVICE_UNAVAILABLE, message, { kong: admin, failure, ...(cause ? { cause } : {}) });
    this.name = 'KongUnavailableError';
  }
}

const MAX_TEXT = 300;

/** Kong's error body from whatever came: JSON with a message, else the text as the message. */
export function kongErrorBody(body: Buffer | string | undefined): KongErrorBody {
  const raw = body === undefined ? '' : typeof body === 'string' ? body : body.subarray(0, 16 * 1024).toString('utf8');
  try {
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    if (parsed && typeof parsed === 'object' && typeof parsed['message'] === 'string') {
      return {
        message: oneLine(parsed['message']),
        ...(typeof parsed['code'] === 'number' ? { code: parsed['code'] } : {}),
        ...(typeof parsed['name'] === 'string' ? { name: parsed['name'] } : {}),
        ...(isRecord(parsed['fields']) ? { fields: parsed['fields'] } : {}),
      };
    }
  } catch {
    // not JSON: a proxy's HTML page, a plain-text answer
  }
  return { message: oneLine(raw) };
}

/** The error for an HTTP answer the route does not accept as success. */
export function errorForStatus(op: KongOperation, status: number, body: Buffer | string | undefined, admin: string): DispatchError {
  const kong = op.secret ? withheld(kongErrorBody(body)) : kongErrorBody(body);
  const said = kong.message ? `: ${kong.message}` : '';
  if (status === 401 || status === 403) {
    // Kong (or a proxy) may echo the token back: the message is not repeated.
    return new KongApiError(
      `the Kong Admin API at ${admin} rejected the admin token (HTTP ${status}) when asked to ${op.action}: check the Kong-Admin-Token configured for Kong`,
      status,
      { message: status === 401 ? 'Unauthorized' : 'Forbidden' },
      admin,
    );
  }
  if (status === 502 || status === 503 || status === 504) {
    return new KongUnavailableError(
      `the Kong Admin API at ${admin} is unavailable (HTTP ${status}) and could not ${op.action}${said}; retry later, and check Kong's database`,
      'unavailable',
      admin,
      `HTTP ${status}`,
    );
  }
  const kind = kong.name ? ` ${kong.name}` : '';
  const hint =
    status === 404
      ? 'it does not exist there'
      : status === 409
        ? 'another entity already holds that unique value: rename, or delete the other one'
        : status === 400
          ? 'change what it names and retry'
          : status >= 500
            ? "see Kong's error log"
            : 'this is not what the Kong Admin API answers there';
  return new KongApiError(`Kong at ${admin} refused to ${op.action} (HTTP ${status}${kind})${said}; ${hint}`, status, kong, admin);
}

/** A 2xx answer whose body is not the JSON the route answers. */
export function errorForBadBody(op: KongOperation, problem: string, status: number, admin: string): KongApiError {
  return new KongApiError(
    `the peer at ${admin} answered a body that is not the Kong Admin API's when asked to ${op.action} (${problem}): check that the URL points at Kong's Admin API`,
    status,
    { name: 'bad response', message: problem },
    admin,
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
  'ENOENT', // a unix socket that is not there
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

/**
 * The error for a request that got no HTTP answer, or `undefined` when `err` is not a transport
 * failure (a bug), which the caller rethrows unchanged.
 */
export function errorForTransport(op: KongOperation, err: unknown, admin: string, timeoutMs: number): KongUnavailableError | undefined {
  const code = transportCode(err);
  if (code === undefined) return undefined;
  if (TIMED_OUT.has(code)) {
    return new KongUnavailableError(
      `the Kong Admin API at ${admin} did not answer within ${timeoutMs} ms when asked to ${op.action}: retry, or allow it more time`,
      'timeout',
      admin,
      code,
    );
  }
  return new KongUnavailableError(
    `the Kong Admin API at ${admin} is not reachable (${code}) to ${op.action}: check that Kong runs and that its admin URL is right`,
    'unreachable',
    admin,
    code,
  );
}

/** Kong's error without what may quote a credential: its name and code, and the fields' names only. */
function withheld(kong: KongErrorBody): KongErrorBody {
  return {
    ...(kong.code !== undefined ? { code: kong.code } : {}),
    ...(kong.name !== undefined ? { name: kong.name } : {}),
    message: "(Kong's message is withheld: it may quote the credential)",
    ...(kong.fields ? { fields: Object.fromEntries(Object.keys(kong.fields).map((k) => [k, '(withheld)'])) } : {}),
  };
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT)}…` : line;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
