/**
 * What the bus needs from a logger: a pino `Logger` (or a child of one) fits. Kept minimal
 * because the bus is a data lib and may not depend on the platform's logging.
 */
export interface BusLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Fallback when the host passes no logger; failures of handlers must never go unseen. */
export const consoleBusLog: BusLog = {
  warn: (fields, message) => console.warn(`[bus] ${message}`, fields),
  error: (fields, message) => console.error(`[bus] ${message}`, fields),
};

/** The parts of an error worth a log line, without dragging whole objects into it. */
export function errorFields(err: unknown): { err: { message: string; code?: string; stack?: string } } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { err: { message: err.message, code: typeof code === 'string' ? code : undefined, stack: err.stack } };
  }
  return { err: { message: String(err) } };
}
