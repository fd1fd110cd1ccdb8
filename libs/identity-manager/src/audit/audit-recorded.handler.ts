import { createHash } from 'node:crypto';
import { Controller, Inject } from '@nestjs/common';
import type { Logger } from 'pino';
import { type AuditRecordedEvent, auditRecordedEventSchema } from '@dispatch/contracts';
import { type BusContext, BusCtx, BusPayload, LOGGER, OnEvent } from '@dispatch/platform';
import { AuditStore } from './audit.store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The stored id of an event: its bus msgId (the audit hook sends a UUID per event), so every
 * redelivery maps to the same row. A msgId that is no UUID is hashed into one; an event without
 * msgId gets one hashed from its content, so its redeliveries still collapse.
 */
export function auditEventId(msgId: string | undefined, event: AuditRecordedEvent): string {
  if (msgId !== undefined && UUID.test(msgId)) return msgId.toLowerCase();
  const source = msgId !== undefined ? `msg:${msgId}` : `event:${JSON.stringify(Object.entries(event).sort(([a], [b]) => a.localeCompare(b)))}`;
  const hex = createHash('sha256').update(source).digest('hex');
  // A UUIDv8 (custom) layout: version nibble 8, RFC 4122 variant.
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Stores the audit events every service publishes, once each. */
@Controller()
export class AuditRecordedHandler {
  constructor(
    private readonly store: AuditStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @OnEvent('identity.audit.recorded.v1', 'identity-manager')
  async recorded(@BusPayload() payload: unknown, @BusCtx() ctx: BusContext): Promise<void> {
    const parsed = auditRecordedEventSchema.safeParse(payload);
    if (!parsed.success) {
      // Redelivery cannot make it valid: acked and dropped, with what was wrong.
      this.logger.warn(
        { msgId: ctx.message?.msgId, problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
        'invalid audit event dropped',
      );
      return;
    }
    await this.store.record(auditEventId(ctx.message?.msgId, parsed.data), parsed.data);
  }
}
