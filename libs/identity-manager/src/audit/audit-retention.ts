import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '@dispatch/platform';
import { AUDIT_OPTIONS, type AuditOptions } from './audit-options';
import { AuditStore } from './audit.store';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes audit events older than `AUDIT_RETENTION_DAYS` at start and then every hour. Replicas
 * each sweep; deleting the same old rows twice is harmless.
 */
@Injectable()
export class AuditRetention implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly store: AuditStore,
    @Inject(AUDIT_OPTIONS) private readonly options: AuditOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.sweepInBackground(), this.options.sweepIntervalMs);
    this.timer.unref();
    this.sweepInBackground();
  }

  /** Before the store closes: no new sweep, and the running one finishes. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Deletes what is past retention at `now`; resolves how many events went. */
  async sweep(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.options.retentionDays * DAY_MS);
    const deleted = await this.store.deleteOlderThan(before);
    if (deleted > 0) this.logger.info({ deleted, before: before.toISOString() }, 'audit events past retention deleted');
    return deleted;
  }

  private sweepInBackground(): void {
    if (this.running) return;
    this.running = this.sweep()
      .catch((err: unknown) => this.logger.warn({ err }, 'audit retention sweep failed; it runs again within the hour'))
      .finally(() => (this.running = undefined));
  }
}
