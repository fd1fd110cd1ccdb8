import pino from 'pino';

/** Tool diagnostics go to stderr so stdout carries only the tool's own report. */
export function cliLogger(name: string): pino.Logger {
  return pino({ name, level: process.env['LOG_LEVEL'] ?? 'warn' }, pino.destination(2));
}
