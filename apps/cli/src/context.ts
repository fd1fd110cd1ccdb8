import {
  createDispatchClient,
  oidcTokenProvider,
  refreshOidcTokens,
  serviceAccountTokenProvider,
  type DispatchClient,
  type OidcTokens,
} from '@dispatch/sdk';
import { configPath, currentContext, loadConfig, saveConfig, withConfigLock, type Context, type OidcSession } from './config';
import { isConnectionFailure, NotLoggedInError, ServerDownError } from './errors';

/** A fetch that turns "no answer" into a ServerDownError naming the server. */
function fetchFor(apiUrl: string): typeof globalThis.fetch {
  return async (input, init) => {
    try {
      return await globalThis.fetch(input, init);
    } catch (e) {
      if (isConnectionFailure(e)) throw new ServerDownError(apiUrl, e);
      throw e;
    }
  };
}

/** Refresh when fewer than this many seconds are left, here and in the SDK's provider. */
const REFRESH_BEFORE_SECONDS = 30;

/**
 * New tokens for a context's IdP session, taking turns with other CLI processes: under the config
 * lock, tokens another process saved since this one read them are used as they are; otherwise
 * this one refreshes with the saved refresh token and saves the result before the lock is let go.
 */
function refreshShared(name: string | undefined, session: OidcSession) {
  return (current: OidcTokens): Promise<OidcTokens> => {
    const refresh = (from: OidcTokens) => refreshOidcTokens(session, from.refreshToken!);
    if (!name) return refresh(current);
    return withConfigLock(async () => {
      const config = await loadConfig();
      const saved = config.contexts.find((c) => c.name === name);
      const auth = saved && 'token' in saved.auth ? saved.auth : undefined;
      const onDisk: OidcTokens | undefined = auth?.oidc
        ? { accessToken: auth.token, refreshToken: auth.oidc.refreshToken, expiresAt: auth.oidc.expiresAt }
        : undefined;
      const fresh = (t: OidcTokens) => t.expiresAt === undefined || t.expiresAt - REFRESH_BEFORE_SECONDS * 1000 > Date.now();
      if (onDisk && onDisk.accessToken !== current.accessToken && fresh(onDisk)) return onDisk;
      const tokens = await refresh(onDisk?.refreshToken ? onDisk : current);
      const refreshed = { token: tokens.accessToken, oidc: { ...session, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt } };
      await saveConfig({ ...config, contexts: config.contexts.map((c) => (c.name === name ? { ...c, auth: refreshed } : c)) });
      return tokens;
    });
  };
}

/** A client of a context's server with its credentials; a saved context's refreshed IdP tokens are written back to it. */
export function clientFor(context: Pick<Context, 'apiUrl' | 'org' | 'auth'> & { name?: string }): DispatchClient {
  const auth = context.auth;
  const common = { baseUrl: context.apiUrl, fetch: fetchFor(context.apiUrl) };
  if ('token' in auth && auth.oidc?.refreshToken) {
    const session = auth.oidc;
    const name = context.name;
    return createDispatchClient({
      ...common,
      tokenProvider: oidcTokenProvider(
        session,
        { accessToken: auth.token, refreshToken: session.refreshToken, expiresAt: session.expiresAt },
        { refresh: refreshShared(name, session), refreshBeforeSeconds: REFRESH_BEFORE_SECONDS },
      ),
    });
  }
  if ('token' in auth) return createDispatchClient({ ...common, token: auth.token });
  return createDispatchClient({
    ...common,
    tokenProvider: serviceAccountTokenProvider({
      org: context.org,
      name: auth.serviceAccount.name,
      privateKeyPem: auth.serviceAccount.privateKeyPem,
    }),
  });
}

/** The current context (or `--context NAME`), or an error saying to log in. */
export async function requireContext(name?: string): Promise<Context> {
  const config = await loadConfig();
  const context = currentContext(config, name);
  if (!context) {
    if (name) throw new NotLoggedInError(`no context "${name}" in ${configPath()}: see dispatch context list`);
    throw new NotLoggedInError(`not logged in (no current context in ${configPath()}): run dispatch login`);
  }
  return context;
}

/** Who a context's credentials stand for, by one authenticated GET (/v1/iam/auth). */
export async function whoAmI(client: DispatchClient): Promise<{ org: string; subject: string; kind?: string }> {
  const { data } = await client.GET('/v1/iam/auth');
  return data as unknown as { org: string; subject: string; kind?: string };
}

/** The server's version, from its OpenAPI document. */
export async function serverVersion(apiUrl: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${apiUrl.replace(/\/+$/, '')}/docs-json`);
  } catch (e) {
    if (isConnectionFailure(e)) throw new ServerDownError(apiUrl, e);
    throw e;
  }
  const doc = (await response.json()) as { info?: { version?: string } };
  return doc.info?.version ?? 'unknown';
}
