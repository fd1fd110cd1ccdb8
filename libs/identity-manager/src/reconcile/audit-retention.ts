import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER, PeriodicTask } from '@dispatch/platform';
import { AUDIT_OPTIONS, type AuditOptions } from '../audit/audit-options';
import { AuditRepository } from '../audit/audit.repository';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes audit events older than `AUDIT_RETENTION_DAYS` at start and then every hour. Replicas
 * each sweep; deleting the same old rows twice is harmless.
 */
@Injectable()
export class AuditRetention implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: PeriodicTask;

  constructor(
    private readonly events: AuditRepository,
    @Inject(AUDIT_OPTIONS) private readonly options: AuditOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.task = new PeriodicTask(
      () => this.sweep(),
      options.sweepIntervalMs,
      (err) => logger.warn({ err }, 'audit retention sweep failed; it runs again within the hour'),
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  /** Before the store closes: no new sweep, and the running one finishes. */
  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  /** Deletes what is past retention at `now`; resolves how many events went. */
  async sweep(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.options.retentionDays * DAY_MS);
    const deleted = await this.events.deleteOlderThanAcrossOrgs(before);
    if (deleted > 0) this.logger.info({ deleted, before: before.toISOString() }, 'audit events past retention deleted');
    return deleted;
  }
}
