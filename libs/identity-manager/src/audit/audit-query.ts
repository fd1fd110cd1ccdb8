import { z } from 'zod';
import { ErrorCode, type AuditRecordedEvent } from '@dispatch/contracts';
import { DispatchError, encodePageToken } from '@dispatch/platform';

/** How the audit log's times are written, in queries and page tokens alike. */
export const auditTimestamp = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 timestamp with a zone, e.g. 2025-01-31T12:00:00Z',
});

/** What narrows a list within the org's events. */
export interface AuditFilter {
  subject?: string;
  resource?: string;
  action?: string;
  result?: string;
  requestId?: string;
  /** Inclusive. */
  since?: Date;
  /** Exclusive. */
  until?: Date;
}

/** A validated list query. */
export interface AuditQuery {
  /** What the caller asked for, before org scoping. */
  org?: string;
  anonymous: boolean;
  filter: AuditFilter;
  limit: number;
  /** Sort key of the last event of the previous page. */
  after?: AuditCursor;
}

export interface AuditCursor {
  time: string;
  id: string;
}

/** The wire shape of a stored event. */
export interface AuditEventView extends AuditRecordedEvent {
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The page token holds `<time>|<id>` of the last event shown: events are ordered by time, then id. */
export function encodeCursor(cursor: AuditCursor): string {
  return encodePageToken(`${cursor.time}|${cursor.id}`);
}

/** The cursor of a page token `encodeCursor` made; INVALID_PAGE_TOKEN for anything else. */
export function decodeCursor(key: string): AuditCursor {
  const [time, id, ...rest] = key.split('|');
  if (rest.length === 0 && id !== undefined && UUID.test(id) && auditTimestamp.safeParse(time).success) return { time, id };
  throw new DispatchError(ErrorCode.INVALID_PAGE_TOKEN, 'pageToken is not one this API returned; start again without it');
}
