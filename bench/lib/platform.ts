import { sourceArchive, waitFor } from '@dispatch/testing';
import type { Target } from './measure';

/** The benchmarked function: it echoes, so the figures are the platform's, not the function's. */
export const ECHO_SOURCE = `module.exports = (context, payload) => ({ echo: payload });\n`;
/** What each benchmarked call sends the echo function. */
export const PAYLOAD = { n: 1 };

/** Where the API serving functions and runs listens (solo's one server, or function-manager), and an admin's headers for it. */
export interface Platform {
  api: string;
  admin: Record<string, string>;
}

/** How to reach faas-local: its base URL, and its unix socket when it listens on one (the URL then gives only the path). */
export interface Provider {
  url: string;
  socketPath?: string;
}

/** Creates a resource as the admin (`POST /v1/<kind>`), waits until it is READY and answers it as then read. */
export async function createReady(
  platform: Platform,
  kind: 'function' | 'api',
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const created = await fetch(`${platform.api}/v1/${kind}`, {
    method: 'POST',
    headers: { ...platform.admin, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (created.status !== 201) throw new Error(`creating ${kind} ${body['name']} answered ${created.status}: ${await created.text()}`);
  return untilReady(platform, `/v1/${kind}/${body['name']}`);
}

/** The echo function, READY with a fixed number of warm replicas, and two ways to call it: on faas-local directly, and a blocking run. */
export async function echoFunction(
  platform: Platform,
  provider: Provider,
  name: string,
  replicas: number,
): Promise<{ direct: Target; run: Target }> {
  const source = await sourceArchive({ 'index.js': ECHO_SOURCE });
  await createReady(platform, 'function', {
    name,
    runtime: 'nodejs',
    handler: 'index.js',
    source,
    minReplicas: replicas,
    maxReplicas: replicas,
  });
  const versions = (await (await fetch(`${platform.api}/v1/function/${name}/versions`, { headers: platform.admin })).json()) as {
    items: { providerName: string }[];
  };
  const json = { 'content-type': 'application/json' };
  return {
    // What the OpenFaaS client sends faas-local for the same run: the payload in Dispatch's envelope.
    direct: {
      url: `${provider.url}/function/${versions.items[0].providerName}`,
      body: JSON.stringify({ context: {}, payload: PAYLOAD }),
      headers: json,
      socketPath: provider.socketPath,
    },
    run: {
      url: `${platform.api}/v1/runs?functionName=${name}`,
      body: JSON.stringify({ input: PAYLOAD, blocking: true }),
      headers: { ...json, ...platform.admin },
    },
  };
}

/** Until the entity is READY (answered as then read); an ERROR fails at once, with its reason. */
async function untilReady(platform: Platform, path: string): Promise<Record<string, unknown>> {
  const entity = await waitFor(
    async () => {
      const read = (await (await fetch(`${platform.api}${path}`, { headers: platform.admin })).json()) as Record<string, unknown>;
      return (read['status'] === 'READY' || read['status'] === 'ERROR') && read;
    },
    { timeoutMs: 60_000, intervalMs: 50, what: `${path} to be READY` },
  );
  if (entity['status'] === 'ERROR') throw new Error(`${path} failed: ${(entity['reason'] as string[]).join('; ')}`);
  return entity;
}
