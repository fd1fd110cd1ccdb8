import type { PersistenceLogger } from '../logger';

/** Test double for the pino-like logger: keeps every entry for assertions. Not exported by the library. */
export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj?: object;
  msg?: string;
}

export function recordingLogger(): PersistenceLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (obj: object | string, msg?: string): void => {
      entries.push(typeof obj === 'string' ? { level, msg: obj } : { level, obj, msg });
    };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
