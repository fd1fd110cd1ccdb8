import { ErrorCode, type Page, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from '@dispatch/contracts';
import { DispatchError } from '../errors/dispatch-error';

export interface PageRequest {
  limit: number;
  /** Sort key of the last item of the previous page. */
  after?: string;
}

/** Names other APIs page with; a client sending one expects it to count, so it is refused with a hint. */
const FOREIGN_PAGE_PARAMETERS = new Set(['limit', 'cursor', 'offset', 'page', 'per_page', 'size', 'after', 'continue']);

/**
 * Reads `pageSize` and `pageToken` from a list route's query. Every other parameter must be one of
 * the route's `filters`: an ignored misspelling would silently answer a different list.
 */
export function parsePageQuery(query: Record<string, unknown>, filters: readonly string[] = []): PageRequest {
  refuseUnknownParameters(query, filters);
  let limit = PAGE_SIZE_DEFAULT;
  if (query['pageSize'] !== undefined) {
    const text = query['pageSize'];
    limit = typeof text === 'number' ? text : typeof text === 'string' && /^\d{1,6}$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_SIZE_MAX) {
      throw new DispatchError(ErrorCode.VALIDATION_FAILED, `pageSize must be an integer from 1 to ${PAGE_SIZE_MAX}`, { field: 'pageSize' });
    }
  }
  const token = query['pageToken'];
  if (token === undefined || token === '') return { limit };
  if (typeof token !== 'string') throw invalidPageToken();
  return { limit, after: decodePageToken(token) };
}

function refuseUnknownParameters(query: Record<string, unknown>, filters: readonly string[]): void {
  const known = ['pageSize', 'pageToken', ...filters];
  const unknown = Object.keys(query).filter((name) => !known.includes(name));
  if (unknown.length === 0) return;
  const hint = unknown.some((name) => FOREIGN_PAGE_PARAMETERS.has(name))
    ? `; pages are asked with pageSize (1 to ${PAGE_SIZE_MAX}) and pageToken (the nextPageToken of the previous page)`
    : '';
  throw new DispatchError(
    ErrorCode.VALIDATION_FAILED,
    `unknown query parameter(s) ${unknown.map((n) => JSON.stringify(n)).join(', ')}; this list takes ${known.join(', ')}${hint}`,
    { unknown, known },
  );
}

export function encodePageToken(lastKey: string): string {
  return Buffer.from(JSON.stringify({ k: lastKey })).toString('base64url');
}

function decodePageToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown };
    // A forged key with U+0000 would reach PostgreSQL, which cannot compare it.
    if (typeof parsed.k === 'string' && !parsed.k.includes('\0')) return parsed.k;
  } catch {
    // fall through to the error below
  }
  throw invalidPageToken();
}

function invalidPageToken(): DispatchError {
  return new DispatchError(ErrorCode.INVALID_PAGE_TOKEN, 'pageToken is not one this API returned; start again without it');
}

/** The same page with each item mapped (rows to their API views). */
export function mapPage<A, B>(page: { items: A[]; nextPageToken?: string }, f: (a: A) => B): { items: B[]; nextPageToken?: string } {
  return page.nextPageToken ? { items: page.items.map(f), nextPageToken: page.nextPageToken } : { items: page.items.map(f) };
}

/** Cuts one extra fetched row into a page and its continuation token. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => string): { items: T[]; nextPageToken?: string } {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, nextPageToken: encodePageToken(keyOf(items[items.length - 1])) };
}

/**
 * Rows read in name order, with one extra to tell whether more follow, as a page of their API
 * views: how every list of named entities answers.
 */
export function pageByName<R extends { name: string }, V>(rows: R[], limit: number, view: (row: R) => V): Page<V> {
  return mapPage(
    toPage(rows, limit, (r) => r.name),
    view,
  );
}
