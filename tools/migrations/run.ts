// Cluster mode's explicit migration step: brings every schema on DATABASE_URL up to date under
// the migration advisory lock, so it is safe even while services start.
// Usage: DATABASE_URL=postgres://… node dist/tools/migrations/run.js
import 'reflect-metadata';
import { migrateSchemas } from '@dispatch/persistence';
import pino from 'pino';
import { ALL_SCHEMAS } from './schemas';

async function main(): Promise<number> {
  const url = process.env['DATABASE_URL'];
  if (!url) {
    process.stderr.write('DATABASE_URL must name the database to migrate\n');
    return 2;
  }
  const log = pino({ name: 'migrations', level: process.env['LOG_LEVEL'] ?? 'info' });
  const results = await migrateSchemas(url, ALL_SCHEMAS, { log });
  const ran = results.reduce((n, r) => n + r.ran.length, 0);
  log.info({ schemas: results.length, ran }, ran ? `ran ${ran} migration(s)` : 'every schema is up to date');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`migrations failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
