export const AUDIT_OPTIONS = Symbol.for('dispatch.identity.audit-options');

export interface AuditOptions {
  /** Events older than this many days are deleted. `AUDIT_RETENTION_DAYS`, default 90. */
  retentionDays: number;
  /** How often the retention sweep runs. One hour. */
  sweepIntervalMs: number;
}

export const AUDIT_RETENTION_DAYS_DEFAULT = 90;
const MAX_RETENTION_DAYS = 36_500;

/** Reads `AUDIT_RETENTION_DAYS`; a bad value stops the start with a message saying what is allowed. */
export function auditOptionsFromEnv(env: NodeJS.ProcessEnv): AuditOptions {
  const text = env['AUDIT_RETENTION_DAYS']?.trim();
  let retentionDays = AUDIT_RETENTION_DAYS_DEFAULT;
  if (text) {
    retentionDays = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(retentionDays) || retentionDays < 1 || retentionDays > MAX_RETENTION_DAYS) {
      throw new Error(
        `AUDIT_RETENTION_DAYS must be a whole number of days from 1 to ${MAX_RETENTION_DAYS} (default ${AUDIT_RETENTION_DAYS_DEFAULT}); got "${text}"`,
      );
    }
  }
  return { retentionDays, sweepIntervalMs: 60 * 60 * 1000 };
}
