import type { DispatchClient } from '@dispatch/sdk';
import type { Item } from './command-kit';

/** How long a create or update of an API waits for the gateway to serve it. */
export const API_WAIT_MS = 60_000;

export interface ApiWaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls until the API is READY or ERROR, or is pending with a reason (no gateway is configured:
 * it would wait forever), so the caller can say where the API stands.
 */
export async function waitForApi(client: DispatchClient, name: string, api: Item, options: ApiWaitOptions = {}): Promise<Item> {
  const timeoutMs = options.timeoutMs ?? API_WAIT_MS;
  const deadline = Date.now() + timeoutMs;
  let current = api;
  const settled = (a: Item) => a.status === 'READY' || a.status === 'ERROR' || ((a.reason as string[] | undefined)?.length ?? 0) > 0;
  while (!settled(current)) {
    if (Date.now() > deadline)
      throw new Error(
        `api ${name} is still ${String(current.status)} after ${Math.round(timeoutMs / 1000)} s: see dispatch get api ${name}`,
      );
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 250));
    current = (await client.GET('/v1/api/{name}', { params: { path: { name } } })).data as unknown as Item;
  }
  return current;
}

/** Why an API is not READY, from its reason: empty when it is. */
export function apiPending(api: Item): string {
  const reason = api.reason as string[] | undefined;
  return api.status === 'READY' ? '' : reason?.length ? reason.join('; ') : '';
}
