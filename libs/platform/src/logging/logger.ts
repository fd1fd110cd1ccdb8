import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths whose values never reach a log line: credentials arrive in headers and in the bodies of
 * identity and secret routes.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  '*.password',
  '*.secret',
  '*.secrets',
  '*.token',
  '*.privateKey',
  '*.apiKey',
];

export function createLogger(options: { level: string; name: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      name: options.name,
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { service: options.name },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}
