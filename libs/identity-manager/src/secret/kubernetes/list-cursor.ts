import { ErrorCode, isValidName } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';

/**
 * Where the next page of a list starts: after the Dispatch name `last`, reading on from the
 * Kubernetes `continue` token when there is one. The name makes the cursor correct on its own
 * (items up to `last` are skipped); the continue token makes it cheap (the API server resumes
 * there instead of at the start). When the token has expired (410 after an etcd compaction) the
 * list starts again from the beginning and skips up to `last`.
 *
 * It travels as the `after` of a PageRequest, i.e. inside the usual opaque pageToken
 * (encodePageToken of this string).
 */
export interface ListCursor {
  last: string;
  continue?: string;
}

export function encodeListCursor(cursor: ListCursor): string {
  return JSON.stringify(cursor.continue ? { n: cursor.last, c: cursor.continue } : { n: cursor.last });
}

/** Reads a cursor back; a bare secret name (a PostgreSQL backend's token) is a cursor without continue. */
export function decodeListCursor(after: string): ListCursor {
  if (isValidName(after)) return { last: after };
  let parsed: unknown;
  try {
    parsed = JSON.parse(after);
  } catch {
    throw invalidToken();
  }
  const { n, c } = (parsed ?? {}) as { n?: unknown; c?: unknown };
  if (typeof n !== 'string' || !isValidName(n) || (c !== undefined && (typeof c !== 'string' || c === ''))) throw invalidToken();
  return c === undefined ? { last: n } : { last: n, continue: c };
}

export function invalidToken(): DispatchError {
  return new DispatchError(ErrorCode.INVALID_PAGE_TOKEN, 'pageToken is not one this API returned; start again without it');
}
