import { QueryFailedError } from 'typeorm';

/** PostgreSQL's SQLSTATE for a unique constraint broken by an insert or update. */
const UNIQUE_VIOLATION = '23505';

/** Whether `err` is a write refused because a unique constraint (e.g. org + name) already holds the value. */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof QueryFailedError && (err.driverError as { code?: string }).code === UNIQUE_VIOLATION;
}
