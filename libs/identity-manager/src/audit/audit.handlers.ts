import { Controller, Inject } from '@nestjs/common';
import type { Logger } from 'pino';
import { auditRecordedEventSchema } from '@dispatch/contracts';
import { type BusContext, BusCtx, BusPayload, LOGGER, OnEvent } from '@dispatch/platform';
import { auditEventId } from './audit-recorded-event';
import { AuditRepository } from './audit.repository';

/** Stores the audit events every service publishes, once each. */
@Controller()
export class AuditRecordedHandler {
  constructor(
    private readonly events: AuditRepository,
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
    await this.events.record(auditEventId(ctx.message?.msgId, parsed.data), parsed.data);
  }
}
