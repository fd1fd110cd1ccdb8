import { Controller } from '@nestjs/common';
import { auditRecordedEventSchema, type PayloadOf } from '@dispatch/contracts';
import { type BusContext, BusCtx, BusPayload, OnEvent } from '@dispatch/platform';
import { auditEventId } from './audit-recorded-event';
import { AuditRepository } from './audit.repository';

/** Stores the audit events every service publishes, once each. */
@Controller()
export class AuditRecordedHandler {
  constructor(private readonly events: AuditRepository) {}

  @OnEvent('identity.audit.recorded.v1', 'identity-manager')
  async recorded(@BusPayload() payload: PayloadOf<'identity.audit.recorded.v1'>, @BusCtx() ctx: BusContext): Promise<void> {
    // The bus has checked it against this schema already (an invalid one is dead-lettered); parsed
    // again only to drop fields a newer publisher added, which must not change the stored id.
    const event = auditRecordedEventSchema.parse(payload);
    await this.events.record(auditEventId(ctx.message?.msgId, event), event);
  }
}
