import { DispatchApiError, type DispatchClient } from '@dispatch/sdk';
import type { Item } from '../command-kit';
import { createFunction, deployFailure, updateFunction, waitForFunction } from '../function-deploy';
import type { SeedPlan } from './plan';
import { labelOf, type SeedResource } from './resources';
import { apiPending, waitForApi } from '../api-wait';

/** What an apply or a delete did, in Dispatch's seed output shape: the resources as the API answered. */
export interface SeedOutcome {
  secrets: Item[];
  functions: Item[];
  apis: Item[];
}

export interface SeedRunOptions {
  /** One progress line per resource: `Created function: hello (READY)`. */
  log: (line: string) => void;
  /** How long each wait (a deploy, a deletion) may take. */
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * A function whose deploy failed (ERROR, or a new version that does not serve), or an API the
 * gateway refused (ERROR): the apply exits 1 naming each.
 */
export interface FailedResource {
  kind: 'function' | 'api';
  name: string;
  reason: string;
}

const isStatus = (e: unknown, status: number) => e instanceof DispatchApiError && e.status === status;

/** An API error on one resource, named with the document it came from. */
function onResource(r: SeedResource, e: unknown): Error {
  const where = `${r.file} document ${r.index} (${labelOf(r)})`;
  if (e instanceof DispatchApiError) {
    const id = e.requestId ? ` (requestId ${e.requestId})` : '';
    return new Error(`${where}: ${e.code}: ${e.message}${id}`, { cause: e });
  }
  return new Error(`${where}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}

/**
 * Creates each resource, or updates it when it exists (saying which): secrets first, since
 * functions name them, then functions, whose deploys are then awaited together until each is
 * READY or ERROR, then APIs, which name functions, each awaited until the gateway serves it (or
 * refuses it, or says why it will not). An API error stops the apply there; what was applied
 * before it stays.
 */
export async function applySeed(
  client: DispatchClient,
  plan: SeedPlan,
  options: SeedRunOptions,
): Promise<SeedOutcome & { failed: FailedResource[] }> {
  const outcome: SeedOutcome & { failed: FailedResource[] } = { secrets: [], functions: [], apis: [], failed: [] };
  for (const s of plan.secrets) {
    try {
      outcome.secrets.push(await putSecret(client, s.name, { secrets: s.secrets, tags: s.tags }, options.log));
    } catch (e) {
      throw onResource(s, e);
    }
  }
  const started: { name: string; verb: string; r: SeedResource }[] = [];
  for (const f of plan.functions) {
    try {
      const existing = await liveFunction(client, f.name, options);
      if (existing) await updateFunction(client, f.name, f.fields, f.source);
      else await createFunction(client, { name: f.name, ...f.fields }, f.source);
      started.push({ name: f.name, verb: existing ? 'Updated' : 'Created', r: f });
    } catch (e) {
      throw onResource(f, e);
    }
  }
  const waits = started.map(async ({ name, verb, r }) => {
    try {
      const fn = await waitForFunction(client, name, { timeoutMs: options.timeoutMs, intervalMs: options.intervalMs });
      // An update whose new version fails leaves the function READY on the old one: a failure all the same.
      const failure = deployFailure(fn);
      options.log(
        `${verb} function: ${name} (${failure ? `${fn.status === 'ERROR' ? 'ERROR' : 'FAILED'}: ${failure}` : String(fn.status)})`,
      );
      return fn;
    } catch (e) {
      throw onResource(r, e);
    }
  });
  // Every wait ends before the first error is told, so no deploy is left unreported.
  const settled = await Promise.allSettled(waits);
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected) throw rejected.reason;
  for (const s of settled) {
    const fn = (s as PromiseFulfilledResult<Item>).value;
    outcome.functions.push(fn);
    const failure = deployFailure(fn);
    if (failure) outcome.failed.push({ kind: 'function', name: String(fn.name), reason: failure });
  }
  for (const a of plan.apis) {
    try {
      const { api, verb } = await putApi(client, a.name, a.body, options);
      const settled = await waitForApi(client, a.name, api, options);
      const pending = apiPending(settled);
      options.log(`${verb} api: ${a.name} (${String(settled.status)}${pending ? `: ${pending}` : ''})`);
      outcome.apis.push(settled);
      if (settled.status === 'ERROR') outcome.failed.push({ kind: 'api', name: a.name, reason: pending || 'ERROR' });
    } catch (e) {
      throw onResource(a, e);
    }
  }
  return outcome;
}

/**
 * Creates the API, or replaces it when one of that name exists (a 409 for another reason, a taken
 * path, is told as is); one being deleted is awaited, so it can be created anew.
 */
async function putApi(
  client: DispatchClient,
  name: string,
  body: Record<string, unknown>,
  options: SeedRunOptions,
): Promise<{ api: Item; verb: string }> {
  if ((await readApi(client, name))?.status === 'DELETING') await untilGone(client, 'api', name, options);
  try {
    const { data } = await client.POST('/v1/api', { body: { name, ...body } as never });
    return { api: data as unknown as Item, verb: 'Created' };
  } catch (e) {
    if (!(e instanceof DispatchApiError && e.code === 'NAME_CONFLICT')) throw e;
  }
  const { data } = await client.PUT('/v1/api/{name}', { params: { path: { name } }, body: body as never });
  return { api: data as unknown as Item, verb: 'Updated' };
}

async function putSecret(
  client: DispatchClient,
  name: string,
  body: { secrets: Record<string, string>; tags: Item[] },
  log: (l: string) => void,
) {
  try {
    const { data } = await client.POST('/v1/secret', { body: { name, ...body } as never });
    log(`Created secret: ${name}`);
    return (data ?? { name }) as Item;
  } catch (e) {
    if (!isStatus(e, 409)) throw e;
  }
  const { data } = await client.PUT('/v1/secret/{name}', { params: { path: { name } }, body: body as never });
  log(`Updated secret: ${name}`);
  return (data ?? { name }) as Item;
}

/** The function if it exists and is not on its way out; one being deleted is awaited, so it can be created anew. */
async function liveFunction(client: DispatchClient, name: string, options: SeedRunOptions): Promise<Item | undefined> {
  const fn = await readFunction(client, name);
  if (fn?.status !== 'DELETING') return fn;
  await untilGone(client, 'function', name, options);
  return undefined;
}

async function readFunction(client: DispatchClient, name: string): Promise<Item | undefined> {
  try {
    return (await client.GET('/v1/function/{name}', { params: { path: { name } } })).data as unknown as Item;
  } catch (e) {
    if (isStatus(e, 404)) return undefined;
    throw e;
  }
}

const DELETE_WAIT_MS = 2 * 60_000;

async function readApi(client: DispatchClient, name: string): Promise<Item | undefined> {
  try {
    return (await client.GET('/v1/api/{name}', { params: { path: { name } } })).data as unknown as Item;
  } catch (e) {
    if (isStatus(e, 404)) return undefined;
    throw e;
  }
}

/**
 * Polls until the function or API is gone: a deletion answers at once, and finishes when a
 * function's versions are off the provider, an API's entities out of the gateway.
 */
async function untilGone(client: DispatchClient, kind: 'function' | 'api', name: string, options: SeedRunOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DELETE_WAIT_MS;
  const deadline = Date.now() + timeoutMs;
  const read = kind === 'api' ? readApi : readFunction;
  while (await read(client, name)) {
    if (Date.now() > deadline) throw new Error(`${kind} ${name} is still being deleted after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 250));
  }
}

/**
 * Deletes the resources in the reverse order of an apply (APIs, then the functions they name, then
 * the secrets those name), each API and function until it is gone, so the same seed can be applied
 * again at once. A resource that does not exist is skipped, and said so.
 */
export async function deleteSeed(client: DispatchClient, plan: SeedPlan, options: SeedRunOptions): Promise<SeedOutcome> {
  const outcome: SeedOutcome = { secrets: [], functions: [], apis: [] };
  for (const a of [...plan.apis].reverse()) {
    try {
      await client.DELETE('/v1/api/{name}', { params: { path: { name: a.name } } });
    } catch (e) {
      if (!isStatus(e, 404)) throw onResource(a, e);
      options.log(`Skipped api: ${a.name} (not found)`);
      continue;
    }
    try {
      // The gateway lets go of it on its next pass, and the API is gone then.
      await untilGone(client, 'api', a.name, options);
    } catch (e) {
      throw onResource(a, e);
    }
    outcome.apis.push({ name: a.name });
    options.log(`Deleted api: ${a.name}`);
  }
  const deleting: { name: string; r: SeedResource }[] = [];
  for (const f of [...plan.functions].reverse()) {
    try {
      const { data } = await client.DELETE('/v1/function/{name}', { params: { path: { name: f.name } } });
      outcome.functions.push((data ?? { name: f.name }) as unknown as Item);
      deleting.push({ name: f.name, r: f });
    } catch (e) {
      if (!isStatus(e, 404)) throw onResource(f, e);
      options.log(`Skipped function: ${f.name} (not found)`);
    }
  }
  for (const { name, r } of deleting) {
    try {
      await untilGone(client, 'function', name, options);
    } catch (e) {
      throw onResource(r, e);
    }
    options.log(`Deleted function: ${name}`);
  }
  for (const s of [...plan.secrets].reverse()) {
    try {
      await client.DELETE('/v1/secret/{name}', { params: { path: { name: s.name } } });
      outcome.secrets.push({ name: s.name });
      options.log(`Deleted secret: ${s.name}`);
    } catch (e) {
      if (!isStatus(e, 404)) throw onResource(s, e);
      options.log(`Skipped secret: ${s.name} (not found)`);
    }
  }
  return outcome;
}
