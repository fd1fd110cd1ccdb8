import { ErrorCode, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from '@dispatch/contracts';
import { DispatchError } from '../errors/dispatch-error';

export interface PageRequest {
  limit: number;
  /** Sort key of the last item of the previous page. */
  after?: string;
}

/** Reads `pageSize` and `pageToken` from a list route's query. */
export function parsePageQuery(query: { pageSize?: unknown; pageToken?: unknown }): PageRequest {
  let limit = PAGE_SIZE_DEFAULT;
  if (query.pageSize !== undefined) {
    limit = Number(query.pageSize);
    if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_SIZE_MAX) {
      throw new DispatchError(ErrorCode.VALIDATION_FAILED, `pageSize must be an integer from 1 to ${PAGE_SIZE_MAX}`);
    }
  }
  if (query.pageToken === undefined || query.pageToken === '') return { limit };
  const after = decodePageToken(String(query.pageToken));
  return { limit, after };
}

export function encodePageToken(lastKey: string): string {
  return Buffer.from(JSON.stringify({ k: lastKey })).toString('base64url');
}

function decodePageToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof parsed.k === 'string') return parsed.k;
  } catch {
    // fall through to the error below
  }
  throw new DispatchError(ErrorCode.INVALID_PAGE_TOKEN, 'pageToken is not one this API returned; start again without it');
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
