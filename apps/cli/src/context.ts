import { createDispatchClient, serviceAccountTokenProvider, type DispatchClient } from '@dispatch/sdk';
import { configPath, currentContext, loadConfig, type Context } from './config';
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

/** A client of a context's server with its credentials. */
export function clientFor(context: Pick<Context, 'apiUrl' | 'org' | 'auth'>): DispatchClient {
  const auth = context.auth;
  const common = { baseUrl: context.apiUrl, fetch: fetchFor(context.apiUrl) };
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
