import type { Logger as TypeOrmLogger } from 'typeorm';
import type { PersistenceLogger } from './logger';

/**
 * TypeORM's default logger writes migration and slow-query lines to the console whatever the
 * `logging` option says; this sends them to the service logger instead (or nowhere, when the
 * caller gives none: failures still surface as thrown errors). Successful queries are not
 * logged: one line per query would drown everything else.
 */
export class TypeOrmLoggerAdapter implements TypeOrmLogger {
  constructor(private readonly target?: PersistenceLogger) {}

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    // Debug only: the error is thrown to the caller, who decides whether it matters.
    this.target?.debug({ err: error, query: truncate(query) }, 'query failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.target?.warn({ durationMs: time, query: truncate(query) }, 'slow query');
  }

  logSchemaBuild(message: string): void {
    this.target?.debug({ source: 'typeorm' }, message);
  }

  logMigration(message: string): void {
    this.target?.debug({ source: 'typeorm' }, message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    if (level === 'warn') this.target?.warn({ source: 'typeorm' }, text);
    else this.target?.debug({ source: 'typeorm' }, text);
  }
}

function truncate(query: string, max = 500): string {
  return query.length > max ? `${query.slice(0, max)}…` : query;
}
