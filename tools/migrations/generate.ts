// Writes a migration holding the SQL a schema's entities still need, for a developer to review.
// Usage: node dist/tools/migrations/generate.js <schema> <Name> <output directory>
import 'reflect-metadata';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { adminDatabaseUrl } from './admin-url';
import { cliLogger } from './cli-logger';
import { renderMigration } from './migration-file';
import { pendingChangesFor } from './pending-changes';
import { findSchema } from './schemas';

const USAGE = 'usage: generate.js <schema> <Name> <output directory>';

async function main(args: string[]): Promise<number> {
  const [schema, name, outDir] = args;
  if (!schema || !name || !outDir) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    process.stderr.write(`migration name "${name}" must be PascalCase letters and digits\n`);
    return 2;
  }
  let definition;
  try {
    definition = findSchema(schema);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const { up, down } = await pendingChangesFor(definition, adminDatabaseUrl(), cliLogger('migrations-generate'));
  if (up.length === 0) {
    process.stdout.write(`${schema}: no changes; entities and migrations already agree\n`);
    return 0;
  }
  // The class name must end in the 13-digit timestamp TypeORM orders migrations by.
  const timestamp = Date.now();
  const file = path.resolve(outDir, `${timestamp}-${kebab(name)}.ts`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, renderMigration(`${name}${timestamp}`, up, down), { flag: 'wx' });
  process.stdout.write(`${schema}: wrote ${file} (${up.length} statement(s)); add ${name}${timestamp} to the schema's migrations\n`);
  return 0;
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`migration generation failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
