import { QueryFailedError } from 'typeorm';

/** PostgreSQL's SQLSTATE for a unique constraint broken by an insert or update. */
const UNIQUE_VIOLATION = '23505';

/** Whether `err` is a write refused because a unique constraint (e.g. org + name) already holds the value. */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof QueryFailedError && (err.driverError as { code?: string }).code === UNIQUE_VIOLATION;
}

/**
 * Whether PostgreSQL refused the statement itself (bad data, a constraint): sending it again
 * fails again. Connection failures (class 08), server shutdowns (class 57) and exhausted
 * resources (class 53: too many connections, disk full, out of memory) are not refusals.
 */
export function isStatementRefused(err: unknown): boolean {
  const code = err instanceof QueryFailedError ? (err.driverError as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|57|53)/.test(code);
}

/** Socket errors of a connection that could not be made or was cut. */
const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** What node-postgres says, without an errno, when a connection ends or cannot be had in time. */
const CONNECTION_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended|Cannot use a pool after calling end/i;

/**
 * Whether `err` means the database cannot be reached now (down, restarting, starting up, cut off,
 * out of connections or disk), rather than that it refused the statement: the same work may well
 * succeed later. SQLSTATE classes 08 (connection exception), 57P (operator intervention:
 * shutdown, cannot connect now) and 53 (insufficient resources); node-postgres's own connection
 * messages; and socket errors as the pool raises them when it cannot connect. TypeORM wraps
 * statement failures in QueryFailedError, whose driverError is the original. Only errors of the
 * database's own path count: an HTTP client's socket error (axios) or a fetch failure (whose
 * socket error is its `cause`) is some other dependency's.
 */
export function isStoreUnavailable(err: unknown): boolean {
  const own = err instanceof QueryFailedError ? err.driverError : err;
  if (!own || typeof own !== 'object' || (own as { isAxiosError?: unknown }).isAxiosError) return false;
  const { code, message } = own as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (code.startsWith('08') || code.startsWith('57P') || code.startsWith('53') || CONNECTION_ERRNOS.has(code)))
    return true;
  return typeof message === 'string' && CONNECTION_MESSAGES.test(message);
}
