// Fails (exit 1) when any service's entities need SQL its migrations do not contain.
// Usage: node dist/tools/migrations/check.js   (DATABASE_URL: the server to create scratch databases on)
import 'reflect-metadata';
import { adminDatabaseUrl } from './admin-url';
import { checkSchemas } from './check-schemas';
import { cliLogger } from './cli-logger';
import { ALL_SCHEMAS } from './schemas';

async function main(): Promise<number> {
  const clean = await checkSchemas(ALL_SCHEMAS, adminDatabaseUrl(), {
    log: cliLogger('migrations-check'),
    write: (line) => process.stdout.write(`${line}\n`),
  });
  if (!clean) process.stdout.write('\nWrite a migration for the SQL above (npm run migrations:generate -- <schema> <Name> <dir>).\n');
  return clean ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`migrations check failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
