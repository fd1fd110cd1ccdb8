import { QueryFailedError } from 'typeorm';

/** PostgreSQL's SQLSTATE for a unique constraint broken by an insert or update. */
const UNIQUE_VIOLATION = '23505';

/** Whether `err` is a write refused because a unique constraint (e.g. org + name) already holds the value. */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof QueryFailedError && (err.driverError as { code?: string }).code === UNIQUE_VIOLATION;
}

/**
 * Whether PostgreSQL refused the statement itself (bad data, a constraint): sending it again
 * fails again. Connection failures (class 08) and server shutdowns (class 57) are not refusals.
 */
export function isStatementRefused(err: unknown): boolean {
  const code = err instanceof QueryFailedError ? (err.driverError as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('08') && !code.startsWith('57');
}
