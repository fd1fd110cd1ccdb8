import type { Command } from 'commander';
import { client, collect, OUTPUT, type Item } from '../../command-kit';
import { parseFormat, render, type Column } from '../../output';
import { addDelete, addGet, body, count, CREATED, NAME, printChanged, TAG, type Tag, type Verbs } from './iam-kit';

/** Whether a key works now: revoked and expired keys are refused. */
export function apiKeyState(k: Item, now = Date.now()): string {
  if (k.revokedTime) return 'revoked';
  if (typeof k.expiresTime === 'string' && Date.parse(k.expiresTime) <= now) return 'expired';
  return 'active';
}

const COLUMNS: Column<Item>[] = [
  NAME,
  { header: 'ROLE', value: (k) => k.role },
  { header: 'PREFIX', value: (k) => k.prefix },
  { header: 'STATE', value: (k) => apiKeyState(k) },
  { header: 'EXPIRES', value: (k) => k.expiresTime },
  CREATED,
];
const ALIASES = ['apikeys', 'api-key'];

interface CreateOptions {
  role: string;
  expiresInDays?: number;
  tag?: Tag[];
  output: string;
}

/** API keys of the org: each acts with one role until it expires or is revoked; its secret is shown once, at creation. */
export function addApiKeyCommands(verbs: Verbs): void {
  addGet(verbs, {
    noun: 'apikey',
    aliases: ALIASES,
    description: 'API keys of your org (never their secret: it is shown once, when the key is created)',
    columns: COLUMNS,
    list: (c) => collect(c.pages('/v1/iam/apikeys', { query: { pageSize: 100 } })),
    one: async (c, name) => body(await c.GET('/v1/iam/apikeys/{name}', { params: { path: { name } } })),
  });

  verbs
    .verb('create')
    .command('apikey')
    .aliases(ALIASES)
    .description(
      'create an API key that acts with a role; its secret is printed this once and never again, so store it now ' +
        '(keys have no update: create a new one for another role or expiry, then revoke the old one)',
    )
    .argument('<name>', 'the key')
    .requiredOption('--role <role>', 'the role it acts with: admin, developer, viewer, invoker or a custom role')
    .option('--expires-in-days <days>', 'days until it expires, 1 to 365 (default 90)', count('--expires-in-days', 1))
    .option(...TAG)
    .option(...OUTPUT)
    .action(async (name: string, opts: CreateOptions, cmd: Command) => {
      const format = parseFormat(opts.output);
      const c = await client(cmd);
      const request = {
        name,
        role: opts.role,
        tags: opts.tag ?? [],
        ...(opts.expiresInDays !== undefined ? { expiresInDays: opts.expiresInDays } : {}),
      };
      const created = body(await c.POST('/v1/iam/apikeys', { body: request }));
      if (format !== 'table') {
        process.stdout.write(render(created, format, COLUMNS, (k) => String(k.name)));
        return;
      }
      process.stdout.write(`Created apikey: ${name}\nKey: ${String(created.key)}\n`);
      process.stderr.write('This is the only time the key is shown: store it now (the server keeps only its hash).\n');
    });

  verbs
    .verb('revoke')
    .command('apikey')
    .aliases(ALIASES)
    .description('revoke an API key: it stops working at once, and stays listed as revoked until deleted')
    .argument('<name>', 'the key')
    .option(...OUTPUT)
    .action(async (name: string, opts: { output: string }, cmd: Command) => {
      const format = parseFormat(opts.output);
      const c = await client(cmd);
      const revoked = body(await c.POST('/v1/iam/apikeys/{name}/revoke', { params: { path: { name } } }));
      printChanged('Revoked', 'apikey', revoked ?? { name }, format, COLUMNS);
    });

  addDelete(verbs, 'apikey', ALIASES, (c, name) => c.DELETE('/v1/iam/apikeys/{name}', { params: { path: { name } } }));
}
