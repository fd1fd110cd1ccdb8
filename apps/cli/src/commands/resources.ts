import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { clientFor, requireContext } from '../context';
import { parseFormat, render, UsageError, type Column } from '../output';

type Item = Record<string, unknown>;

const nameOf = (i: Item) => String(i.name);

const FUNCTION_COLUMNS: Column<Item>[] = [
  { header: 'NAME', value: (f) => f.name },
  { header: 'RUNTIME', value: (f) => f.runtime },
  { header: 'STATUS', value: (f) => f.status },
  { header: 'VERSION', value: (f) => f.version },
  { header: 'CREATED', value: (f) => f.createdTime },
];

const SECRET_COLUMNS: Column<Item>[] = [
  { header: 'NAME', value: (s) => s.name },
  { header: 'STATUS', value: (s) => s.status },
  // Values never show in a table (a list carries none); -o json prints one secret as the API answers it.
  { header: 'CREATED', value: (s) => s.createdTime },
];

interface Global {
  context?: string;
}

async function client(cmd: Command) {
  return clientFor(await requireContext((cmd.optsWithGlobals() as Global).context));
}

const OUTPUT = ['-o, --output <format>', 'table, json, yaml or name', 'table'] as const;

async function collect(items: AsyncIterable<unknown>): Promise<Item[]> {
  const all: Item[] = [];
  for await (const item of items) all.push(item as Item);
  return all;
}

/** `dispatch get function|secret [NAME]`, `create secret`, `delete function|secret`: Dispatch's shapes. */
export function addResources(program: Command): void {
  const get = program.command('get').description('show resources: a list, or one by name');
  get
    .command('function')
    .alias('functions')
    .description('functions; with -o json a list is a JSON array and one function the object (its .status reads READY)')
    .argument('[name]', 'one function')
    .option(...OUTPUT)
    .action(async (name: string | undefined, opts: { output: string }, cmd: Command) => {
      const format = parseFormat(opts.output);
      const c = await client(cmd);
      const data = name
        ? ((await c.GET('/v1/function/{name}', { params: { path: { name } } })).data as unknown as Item)
        : await collect(c.pages('/v1/function', { query: { pageSize: 100 } }));
      process.stdout.write(render(data, format, FUNCTION_COLUMNS, nameOf));
    });
  get
    .command('secret')
    .alias('secrets')
    .description('secrets; with -o json a list is a JSON array and one secret the object')
    .argument('[name]', 'one secret')
    .option(...OUTPUT)
    .action(async (name: string | undefined, opts: { output: string }, cmd: Command) => {
      const format = parseFormat(opts.output);
      const c = await client(cmd);
      const data = name
        ? ((await c.GET('/v1/secret/{name}', { params: { path: { name } } })).data as unknown as Item)
        : await collect(c.pages('/v1/secret', { query: { pageSize: 100 } }));
      process.stdout.write(render(data, format, SECRET_COLUMNS, nameOf));
    });

  const create = program.command('create').description('create resources');
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

  const del = program.command('delete').description('delete resources');
  for (const kind of ['function', 'secret'] as const) {
    del
      .command(kind)
      .description(`delete a ${kind}`)
      .argument('<name>', `the ${kind}`)
      .action(async (name: string, _opts: unknown, cmd: Command) => {
        const c = await client(cmd);
        if (kind === 'function') await c.DELETE('/v1/function/{name}', { params: { path: { name } } });
        else await c.DELETE('/v1/secret/{name}', { params: { path: { name } } });
        process.stdout.write(`Deleted ${kind}: ${name}\n`);
      });
  }
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
