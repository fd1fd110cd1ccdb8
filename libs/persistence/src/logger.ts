/** The subset of a pino logger this library writes to, so callers can pass pino or a child of it. */
export interface LogFn {
  (msg: string): void;
  (obj: object, msg?: string): void;
}

export interface PersistenceLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}
