import { createDispatchClient, oidcTokenProvider, serviceAccountTokenProvider, type DispatchClient, type OidcTokens } from '@dispatch/sdk';
import { configPath, currentContext, loadConfig, saveConfig, type Context, type OidcSession } from './config';
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

/** Keeps a refreshed IdP token in the context it belongs to, so the next command starts with it. */
async function saveRefreshed(name: string, session: OidcSession, tokens: OidcTokens): Promise<void> {
  const config = await loadConfig();
  const contexts = config.contexts.map((c) =>
    c.name === name
      ? { ...c, auth: { token: tokens.accessToken, oidc: { ...session, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt } } }
      : c,
  );
  await saveConfig({ ...config, contexts });
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
        { onRefresh: name ? (tokens) => saveRefreshed(name, session, tokens) : undefined },
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
