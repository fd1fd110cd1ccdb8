import type { TokenProvider } from './tokens';

/** An OpenID Provider as a public client (no secret) uses it: where it is, who we are, for which API. */
export interface OidcClient {
  /** The issuer URL; its discovery document is at `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  /** The resource (RFC 8707) the tokens are for: the audience Dispatch's trusted issuer expects. */
  audience: string;
}

/** What a token endpoint gave: the access token, and how to get the next one. */
export interface OidcTokens {
  accessToken: string;
  refreshToken?: string;
  /** When the access token expires, in ms since the epoch, from `expires_in`. */
  expiresAt?: number;
}

/** The IdP refused or could not run the flow; `code` is the OAuth error (e.g. expired_token, access_denied). */
export class OidcError extends Error {
  override readonly name = 'OidcError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Endpoints {
  token_endpoint: string;
  device_authorization_endpoint?: string;
  scopes_supported?: string[];
}

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const REQUEST_TIMEOUT_MS = 15_000;

async function discover(issuer: string, fetchImpl: typeof fetch): Promise<Endpoints> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (e) {
    throw new OidcError('unreachable', `the identity provider ${issuer} does not answer (${(e as Error).message})`);
  }
  if (!response.ok) throw new OidcError('no_discovery', `${url} answered ${response.status}: is ${issuer} an OpenID Provider?`);
  const doc = (await response.json()) as Partial<Endpoints>;
  if (!doc.token_endpoint) throw new OidcError('no_discovery', `${url} names no token_endpoint`);
  return doc as Endpoints;
}

async function postForm(
  url: string,
  form: Record<string, string>,
  fetchImpl: typeof fetch,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetchImpl(url, {
    method: 'POST',
    body: new URLSearchParams(form),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  let body: Record<string, unknown>;
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    throw new OidcError('invalid_response', `${url} answered ${response.status} without JSON`);
  }
  return { status: response.status, body };
}

function tokensOf(body: Record<string, unknown>, now: number): OidcTokens {
  if (typeof body.access_token !== 'string') throw new OidcError('invalid_response', 'the token endpoint answered without an access_token');
  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
    expiresAt: typeof body.expires_in === 'number' ? now + body.expires_in * 1000 : undefined,
  };
}

const oauthError = (body: Record<string, unknown>, fallback: string) =>
  new OidcError(String(body.error ?? fallback), String(body.error_description ?? body.error ?? fallback));

/** What to show the person who approves a device authorization. */
export interface DevicePrompt {
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  expiresInSeconds: number;
}

export interface DeviceLoginOptions {
  /** Shows the code and where to enter it; called once, before polling. */
  onPrompt: (prompt: DevicePrompt) => void;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/**
 * The device authorization grant (RFC 8628): asks the IdP for a code, lets the caller show it,
 * then polls the token endpoint at the interval the IdP sets (slower after `slow_down`) until
 * the person approves, refuses, or the code expires. Refresh tokens are asked for with
 * `offline_access` when the IdP offers that scope.
 */
export async function deviceLogin(client: OidcClient, options: DeviceLoginOptions): Promise<OidcTokens> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const endpoints = await discover(client.issuer, fetchImpl);
  if (!endpoints.device_authorization_endpoint)
    throw new OidcError(
      'unsupported',
      `${client.issuer} offers no device authorization endpoint: enable the device flow (RFC 8628) for client ${client.clientId}, or log in with --token`,
    );
  const scope = endpoints.scopes_supported?.includes('offline_access') ? 'openid offline_access' : 'openid';
  const started = await postForm(
    endpoints.device_authorization_endpoint,
    { client_id: client.clientId, scope, resource: client.audience },
    fetchImpl,
  );
  if (started.status !== 200) throw oauthError(started.body, 'device_authorization_failed');
  const { device_code, user_code, verification_uri, verification_uri_complete, expires_in, interval } = started.body as Record<
    string,
    string | number | undefined
  >;
  const expiresInSeconds = Number(expires_in ?? 600);
  options.onPrompt({
    userCode: String(user_code),
    verificationUri: String(verification_uri),
    verificationUriComplete: verification_uri_complete === undefined ? undefined : String(verification_uri_complete),
    expiresInSeconds,
  });
  const deadline = now() + expiresInSeconds * 1000;
  let waitMs = Number(interval ?? 5) * 1000;
  for (;;) {
    await sleep(waitMs);
    const polled = await postForm(
      endpoints.token_endpoint,
      { client_id: client.clientId, grant_type: DEVICE_CODE_GRANT, device_code: String(device_code), resource: client.audience },
      fetchImpl,
    );
    if (polled.status === 200) return tokensOf(polled.body, now());
    const error = String(polled.body.error ?? '');
    if (error === 'slow_down') waitMs += 5000;
    else if (error !== 'authorization_pending') throw oauthError(polled.body, 'token_request_failed');
    if (now() > deadline) throw new OidcError('expired_token', 'the code expired before it was approved');
  }
}

/** New tokens for a refresh token (the IdP may rotate the refresh token too). */
export async function refreshOidcTokens(
  client: OidcClient,
  refreshToken: string,
  fetchImpl: typeof fetch = globalThis.fetch,
): Promise<OidcTokens> {
  const endpoints = await discover(client.issuer, fetchImpl);
  const answer = await postForm(
    endpoints.token_endpoint,
    { client_id: client.clientId, grant_type: 'refresh_token', refresh_token: refreshToken, resource: client.audience },
    fetchImpl,
  );
  if (answer.status !== 200) throw oauthError(answer.body, 'refresh_failed');
  const tokens = tokensOf(answer.body, Date.now());
  return { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken };
}

export interface OidcTokenProviderOptions {
  /** Called with each refreshed set, e.g. to save it. */
  onRefresh?: (tokens: OidcTokens) => void | Promise<void>;
  /**
   * How new tokens are got for stale ones (default: the refresh grant with `current.refreshToken`).
   * Processes that share saved tokens replace it, so that one of them refreshes and the others
   * take its result: IdPs that rotate refresh tokens revoke the grant when a used one comes back.
   */
  refresh?: (current: OidcTokens) => Promise<OidcTokens>;
  /** Refresh when fewer than this many seconds are left. Default 30. */
  refreshBeforeSeconds?: number;
  now?: () => number;
  fetch?: typeof fetch;
}

/**
 * Bearer tokens from an OIDC login: the access token until it is close to expiry, then one from the
 * refresh token (concurrent requests share one refresh). Without a refresh token the access token
 * is given as it is, and the server's 401 says to log in again.
 */
export function oidcTokenProvider(client: OidcClient, initial: OidcTokens, options: OidcTokenProviderOptions = {}): TokenProvider {
  const now = options.now ?? Date.now;
  const marginMs = (options.refreshBeforeSeconds ?? 30) * 1000;
  let current = initial;
  let refreshing: Promise<OidcTokens> | undefined;
  return async () => {
    const stale = current.expiresAt !== undefined && current.expiresAt - marginMs <= now();
    if (!stale || !current.refreshToken) return current.accessToken;
    const refresh = options.refresh ?? ((c: OidcTokens) => refreshOidcTokens(client, c.refreshToken!, options.fetch));
    refreshing ??= refresh(current)
      .then(async (tokens) => {
        current = tokens;
        await options.onRefresh?.(tokens);
        return tokens;
      })
      .finally(() => (refreshing = undefined));
    return (await refreshing).accessToken;
  };
}
