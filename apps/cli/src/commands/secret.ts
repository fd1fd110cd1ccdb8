import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { client, collect, nameOf, OUTPUT, resourceVerb, type Item } from '../command-kit';
import { addDelete, addGet } from '../resource-commands';
import { parseFormat, render, UsageError, type Column } from '../output';

const SECRET_COLUMNS: Column<Item>[] = [
  { header: 'NAME', value: (s) => s.name },
  { header: 'STATUS', value: (s) => s.status },
  // Values never show in a table (a list carries none); -o json prints one secret as the API answers it.
  { header: 'CREATED', value: (s) => s.createdTime },
];

/** `dispatch get|create|delete secret`, in Dispatch's shapes. */
export function addSecretCommands(program: Command): void {
  const verbs = { verb: (name: 'get' | 'delete') => resourceVerb(program, name) };
  addGet(verbs, {
    noun: 'secret',
    aliases: ['secrets'],
    description: 'secrets; with -o json a list is a JSON array and one secret the object',
    columns: SECRET_COLUMNS,
    list: (c) => collect(c.pages('/v1/secret', { query: { pageSize: 100 } })),
    one: async (c, name) => (await c.GET('/v1/secret/{name}', { params: { path: { name } } })).data as unknown as Item,
  });

  const create = resourceVerb(program, 'create');
  create
    .command('secret')
    .description('create a secret from a JSON file of key/values, e.g. {"username": "me", "password": "s3cret"}')
    .argument('<name>', 'the secret')
    .argument('<file>', 'a JSON object of string values')
    .option(...OUTPUT)
    .action(async (name: string, file: string, opts: { output: string }, cmd: Command) => {
      const format = parseFormat(opts.output);
      const secrets = await readSecretFile(file);
      const c = await client(cmd);
      const { data } = await c.POST('/v1/secret', { body: { name, secrets } });
      const created = (data ?? { name }) as Item;
      process.stdout.write(format === 'table' ? `Created secret: ${name}\n` : render(created, format, SECRET_COLUMNS, nameOf));
    });

  addDelete(verbs, 'secret', [], (c, name) => c.DELETE('/v1/secret/{name}', { params: { path: { name } } }));
}

/** Dispatch's secret file: one JSON object whose values are strings. */
export async function readSecretFile(file: string): Promise<Record<string, string>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read ${file} as JSON: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`${file} must hold a JSON object of key/values`);
  for (const [k, v] of Object.entries(parsed))
    if (typeof v !== 'string') throw new UsageError(`${file}: the value of "${k}" must be a string`);
  return parsed as Record<string, string>;
}
