import { createHash } from 'node:crypto';
import type { AuditRecordedEvent } from '@dispatch/contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The stored id of an event: its bus msgId (the audit hook sends a UUID per event), so every
 * redelivery maps to the same row. A msgId that is no UUID is hashed into one; an event without
 * msgId gets one hashed from its content, so its redeliveries still collapse.
 */
export function auditEventId(msgId: string | undefined, event: AuditRecordedEvent): string {
  if (msgId !== undefined && UUID.test(msgId)) return msgId.toLowerCase();
  const source =
    msgId !== undefined ? `msg:${msgId}` : `event:${JSON.stringify(Object.entries(event).sort(([a], [b]) => a.localeCompare(b)))}`;
  const hex = createHash('sha256').update(source).digest('hex');
  // A UUIDv8 (custom) layout: version nibble 8, RFC 4122 variant.
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
