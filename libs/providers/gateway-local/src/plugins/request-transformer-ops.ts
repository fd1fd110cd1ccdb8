import type { ArgValue, Args } from './request-transformer-args';

/** One operation's lists, as Kong's schema gives them (each defaults to empty). */
export interface TransformLists {
  body: string[];
  headers: string[];
  querystring: string[];
}

/** The operations, which run in this order: remove, rename, replace, add, append. */
export interface TransformOps {
  remove: TransformLists;
  rename: TransformLists;
  replace: TransformLists;
  add: TransformLists;
  append: TransformLists;
}

/**
 * An entry's name and value as Kong's iter reads them (`^([^:]+):*(.-)$`): the name runs to the
 * first colon, every colon right after it is skipped, and the rest (spaces included) is the value.
 */
export function splitEntry(entry: string): { name: string; value: string } {
  const found = /^([^:]+):*(.*)$/s.exec(entry);
  return found ? { name: found[1]!, value: found[2]! } : { name: entry, value: '' };
}

export type HeaderMap = Map<string, string | string[]>;

/**
 * Kong's lookup in the request's header table: case-insensitive, and a name with `_` also finds the
 * header written with `-` (ngx.req.get_headers' __index).
 */
function findHeader(headers: HeaderMap, name: string): string | undefined {
  const lower = name.toLowerCase();
  if (headers.has(lower)) return lower;
  const dashed = lower.replace(/_/g, '-');
  return headers.has(dashed) ? dashed : undefined;
}

function appendValue<T>(current: T | T[] | undefined, value: T): T[] {
  if (current === undefined) return [value];
  return Array.isArray(current) ? [...current, value] : [current, value];
}

/**
 * Kong's transform_headers over the headers going upstream (lower-case names, Host left out: it is
 * only ever replaced). Returns the headers to send; those missing from it are cleared.
 */
export function transformHeaders(ops: TransformOps, current: HeaderMap): HeaderMap {
  const headers: HeaderMap = new Map(current);
  headers.delete('host');
  for (const entry of ops.remove.headers) {
    const found = findHeader(headers, splitEntry(entry).name);
    if (found) headers.delete(found);
  }
  for (const entry of ops.rename.headers) {
    const { name, value: newName } = splitEntry(entry);
    const found = findHeader(headers, name);
    if (!found) continue;
    // In Kong's order, so renaming a header to its own name drops it, as there.
    headers.set(newName.toLowerCase(), headers.get(found)!);
    headers.delete(found);
  }
  for (const entry of ops.replace.headers) {
    const { name, value } = splitEntry(entry);
    const lower = name.toLowerCase();
    const found = findHeader(headers, lower);
    if (found) headers.set(found, value);
    else if (lower === 'host') headers.set('host', value);
  }
  for (const entry of ops.add.headers) {
    const { name, value } = splitEntry(entry);
    if (!findHeader(headers, name) && name.toLowerCase() !== 'host') headers.set(name.toLowerCase(), value);
  }
  for (const entry of ops.append.headers) {
    const { name, value } = splitEntry(entry);
    const found = findHeader(headers, name) ?? name.toLowerCase();
    headers.set(found, appendValue(headers.get(found), value));
  }
  return headers;
}

/** Whether any querystring list is set: Kong leaves the query string untouched otherwise. */
export function transformsQuery(ops: TransformOps): boolean {
  return (['remove', 'rename', 'replace', 'add', 'append'] as const).some((op) => ops[op].querystring.length > 0);
}

/** Kong's transform_querystrings over the arguments going upstream. */
export function transformQuery(ops: TransformOps, current: Args): Args {
  const args: Args = new Map([...current].map(([name, values]) => [name, [...values]]));
  for (const entry of ops.remove.querystring) args.delete(splitEntry(entry).name);
  for (const entry of ops.rename.querystring) {
    const { name, value: newName } = splitEntry(entry);
    const values = args.get(name);
    // As Kong's table assignment: renaming an argument the request lacks drops one of the new name.
    if (values) args.set(newName, values);
    else args.delete(newName);
    args.delete(name);
  }
  for (const entry of ops.replace.querystring) {
    const { name, value } = splitEntry(entry);
    if (args.has(name)) args.set(name, [value]);
  }
  for (const entry of ops.add.querystring) {
    const { name, value } = splitEntry(entry);
    if (!args.has(name)) args.set(name, [value]);
  }
  for (const entry of ops.append.querystring) {
    const { name, value } = splitEntry(entry);
    args.set(name, appendValue<ArgValue>(args.get(name), value));
  }
  return args;
}
