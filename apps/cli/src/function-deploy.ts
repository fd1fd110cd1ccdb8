import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { DispatchClient } from '@dispatch/sdk';
import type { Item } from './command-kit';
import { UsageError } from './output';

/** The function fields a create or an update sends (the API's JSON spec, without the source). */
export type FunctionFields = Record<string, unknown>;

/** What the CLI uploads of a function's source: a directory's files, or one file. */
export interface SourceFile {
  path: string;
  content: Buffer;
}

/** Directories a source upload leaves out: VCS metadata is never part of a function. */
const SKIPPED_DIRS = new Set(['.git', '.hg', '.svn']);

/**
 * A function's source as the multipart upload's `files`: every file under a directory by its path
 * relative to it (POSIX separators), or one file by its base name, as Dispatch's
 * `dispatch create function NAME PATH` took either.
 */
export async function readSource(path: string): Promise<SourceFile[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new UsageError(`the function source ${path} does not exist: give a file or a directory`);
  }
  if (info.isFile()) return [{ path: basename(path), content: await readFile(path) }];
  const files: SourceFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(full);
      } else if (entry.isFile()) {
        files.push({ path: relative(path, full).split(sep).join('/'), content: await readFile(full) });
      }
    }
  };
  await walk(path);
  if (files.length === 0) throw new UsageError(`the function source directory ${path} holds no files`);
  return files;
}

function multipart(fields: FunctionFields, files: SourceFile[]): FormData {
  const form = new FormData();
  form.append('function', JSON.stringify(fields));
  for (const f of files) form.append('files', new Blob([f.content]), f.path);
  return form;
}

/** The multipart form goes to the server as it is; openapi-fetch would serialize it as JSON. */
const asIs = (body: unknown) => body as FormData;

/** `POST /v1/function`: the new function as the server answers it (CREATING until it serves). */
export async function createFunction(
  client: DispatchClient,
  fields: FunctionFields & { name: string },
  source?: SourceFile[],
): Promise<Item> {
  const { data } = source
    ? await client.POST('/v1/function', { body: multipart(fields, source) as never, bodySerializer: asIs })
    : await client.POST('/v1/function', { body: fields as never });
  return data as unknown as Item;
}

/** `PUT /v1/function/{name}`: the changed fields (and source) as a new version. */
export async function updateFunction(client: DispatchClient, name: string, fields: FunctionFields, source?: SourceFile[]): Promise<Item> {
  const params = { path: { name } };
  const { data } = source
    ? await client.PUT('/v1/function/{name}', { params, body: multipart(fields, source) as never, bodySerializer: asIs })
    : await client.PUT('/v1/function/{name}', { params, body: fields as never });
  return data as unknown as Item;
}

/** How long a deploy is watched before the CLI gives up waiting (the function goes on deploying). */
export const DEPLOY_WAIT_MS = 5 * 60_000;

export interface WaitOptions {
  /** Called with each status seen, e.g. to show progress. */
  onStatus?: (status: string, fn: Item) => void;
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls a function until it is READY or ERROR and gives it; a wait past the timeout, or a function
 * deleted meanwhile, throws. READY does not mean the latest version serves: see {@link deployFailure}.
 */
export async function waitForFunction(client: DispatchClient, name: string, options: WaitOptions = {}): Promise<Item> {
  const deadline = Date.now() + (options.timeoutMs ?? DEPLOY_WAIT_MS);
  let last = '';
  for (;;) {
    const { data } = await client.GET('/v1/function/{name}', { params: { path: { name } } });
    const fn = data as unknown as Item;
    const status = String(fn.status);
    if (status !== last) options.onStatus?.(status, fn);
    last = status;
    if (status === 'READY' || status === 'ERROR') return fn;
    // It will never be READY: waiting on would only end at the timeout.
    if (status === 'DELETING') throw new Error(`function ${name} is being deleted: its deploy will not finish`);
    if (Date.now() > deadline)
      throw new Error(
        `function ${name} is still ${status} after ${Math.round((options.timeoutMs ?? DEPLOY_WAIT_MS) / 1000)} s: see dispatch get function ${name}`,
      );
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 250));
  }
}

/** Why a function is in ERROR, from its `reason`, for a message. */
export function reasonOf(fn: Item): string {
  const reason = fn.reason;
  return Array.isArray(reason) && reason.length ? reason.join('; ') : 'no reason given';
}

/**
 * Why the function's latest version does not serve, or undefined when it does. A function whose
 * new version failed while an older one serves stays READY, with the failure in its `reason`.
 */
export function deployFailure(fn: Item): string | undefined {
  if (fn.status === 'ERROR') return reasonOf(fn);
  if (fn.status === 'READY' && fn.latestVersion !== undefined && fn.activeVersion !== fn.latestVersion)
    return `the new version does not serve (version ${String(fn.activeVersion)} still does): ${reasonOf(fn)}`;
  return undefined;
}
