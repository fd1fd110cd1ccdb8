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

/** Socket errors of a connection that could not be made or was cut. */
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** What node-postgres says, without an errno, when a connection ends or cannot be had in time. */
const CONNECTION_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended|Cannot use a pool after calling end/i;

/**
 * Whether `err` means the database cannot be reached now (down, restarting, starting up, cut off),
 * rather than that it refused the statement: the same work may well succeed later. Classes 08
 * (connection exception) and 57P (operator intervention: shutdown, cannot connect now) of
 * SQLSTATE, socket errors, and node-postgres's own connection messages; TypeORM wraps all of them
 * in QueryFailedError, whose driverError is the original.
 */
export function isStoreUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (code.startsWith('08') || code.startsWith('57P') || CONNECTION_ERRNOS.has(code))) return true;
    if (typeof message === 'string' && CONNECTION_MESSAGES.test(message)) return true;
    e = e instanceof QueryFailedError ? e.driverError : (e as { cause?: unknown }).cause;
  }
  return false;
}
