/** Injection token of the audit log's settings. */
export const AUDIT_OPTIONS = Symbol.for('dispatch.identity.audit-options');

export interface AuditOptions {
  /** Events older than this many days are deleted. `AUDIT_RETENTION_DAYS`, default 90. */
  retentionDays: number;
  /** How often the retention sweep runs. */
  sweepIntervalMs: number;
}

/** The retention sweep runs hourly: a day's events are never kept much past their date. */
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

export function auditOptionsOf(config: { AUDIT_RETENTION_DAYS: number }): AuditOptions {
  return { retentionDays: config.AUDIT_RETENTION_DAYS, sweepIntervalMs: SWEEP_INTERVAL_MS };
}
