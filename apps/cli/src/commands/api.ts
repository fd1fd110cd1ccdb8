import type { Command } from 'commander';
import type { DispatchClient } from '@dispatch/sdk';
import { client, collect, commaList, nameOf, OUTPUT, resourceVerb, type Item } from '../command-kit';
import { parseFormat, render, UsageError, type Column } from '../output';
import { addDelete, addGet } from '../resource-commands';
import { apiPending, waitForApi } from '../api-wait';
import { startProgress } from '../progress';

const COLUMNS: Column<Item>[] = [
  { header: 'NAME', value: (a) => a.name },
  { header: 'FUNCTION', value: (a) => a.function },
  { header: 'METHODS', value: (a) => a.methods },
  { header: 'PATHS', value: (a) => a.servedPaths ?? a.paths },
  { header: 'AUTH', value: (a) => a.authentication },
  { header: 'STATUS', value: (a) => a.status },
];

const AUTHENTICATIONS = ['public', 'idp-token', 'api-key'];

interface ApiFlags {
  method?: string[];
  path?: string[];
  domain?: string[];
  auth?: string;
  httpsOnly?: boolean;
  cors?: boolean;
  disable?: boolean;
  rateLimitMinute?: string;
  maxBodyBytes?: string;
  /** False with --no-wait. */
  wait?: boolean;
  output: string;
}

function positive(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`${flag} ${value}: give a whole number, 1 or more`);
  return Number(value);
}

/** The API's body for Dispatch's flags (`-m`, `-p`, `-d`, `--auth`, `--https-only`, `--cors`, `--disable`) and ours. */
export function apiBodyOf(fn: string, flags: ApiFlags): Record<string, unknown> {
  if (flags.auth !== undefined && !AUTHENTICATIONS.includes(flags.auth))
    throw new UsageError(`--auth ${flags.auth}: use one of ${AUTHENTICATIONS.join(', ')}`);
  if (!flags.path?.length) throw new UsageError('-p/--path: give at least one path, e.g. -p /hello');
  const perMinute = positive('--rate-limit-minute', flags.rateLimitMinute);
  const maxBody = positive('--max-body-bytes', flags.maxBodyBytes);
  return {
    function: fn,
    paths: flags.path,
    ...(flags.method?.length ? { methods: flags.method.map((m) => m.toUpperCase()) } : {}),
    ...(flags.domain?.length ? { hosts: flags.domain } : {}),
    ...(flags.auth ? { authentication: flags.auth } : {}),
    ...(flags.httpsOnly ? { protocols: ['https'] } : {}),
    ...(flags.cors ? { cors: true } : {}),
    ...(flags.disable ? { enabled: false } : {}),
    ...(perMinute ? { rateLimit: { minute: perMinute } } : {}),
    ...(maxBody ? { requestSizeLimit: maxBody } : {}),
  };
}

function apiFlags(cmd: Command): Command {
  return cmd
    .option('-m, --method <methods>', 'HTTP methods served, repeated or comma-separated (default GET,POST)', commaList)
    .option('-p, --path <paths>', 'path prefixes served (under /<org> unless a host is given), repeated or comma-separated', commaList)
    .option('-d, --domain <hosts>', "host names it answers on (Dispatch's --domain), repeated or comma-separated", commaList)
    .option('--auth <kind>', `who may call: ${AUTHENTICATIONS.join(', ')} (default public)`)
    .option('--https-only', 'serve https only')
    .option('--cors', 'answer CORS requests from any origin')
    .option('--disable', 'keep the API but do not serve it')
    .option('--rate-limit-minute <n>', 'requests allowed per minute and client IP')
    .option('--max-body-bytes <n>', 'largest request body accepted')
    .option('--no-wait', 'return once the server accepted it instead of waiting for the gateway to serve it')
    .option(...OUTPUT);
}

/**
 * Prints the API once the gateway serves it (or says why it does not): `Created api: hello (READY)`.
 * With --no-wait, as the server accepted it. An API in ERROR fails the command with its reason.
 */
async function finishChange(c: DispatchClient, verb: string, accepted: Item, flags: ApiFlags): Promise<void> {
  const format = parseFormat(flags.output);
  const name = String(accepted.name);
  let api = accepted;
  if (flags.wait !== false) {
    const progress = startProgress(`api ${name}: ${String(accepted.status)}`);
    try {
      api = await waitForApi(c, name, accepted);
    } finally {
      progress.stop();
    }
  }
  const pending = apiPending(api);
  if (format !== 'table') process.stdout.write(render(api, format, COLUMNS, nameOf));
  if (api.status === 'ERROR') throw new Error(`api ${name} is not served: ${pending || 'ERROR'}`);
  if (format === 'table') process.stdout.write(`${verb} api: ${name} (${String(api.status)}${pending ? `: ${pending}` : ''})\n`);
}

/**
 * `get api -o kong`: every API of the org as one kong.yml (the server's YAML as it wrote it), for
 * `deck sync` or a DB-less Kong. The gateway's shared secret is decK's placeholder in it.
 */
async function kongExport(c: DispatchClient, name: string | undefined): Promise<string> {
  if (name) throw new UsageError(`-o kong prints every API of the org as one kong.yml: leave out the name "${name}"`);
  const { data } = await c.GET('/v1/api/export', { params: { query: { format: 'yaml' } }, parseAs: 'text' });
  return data ?? '';
}

/**
 * `dispatch create|get|update|delete api`, in Dispatch's shape
 * (`dispatch create api NAME FUNCTION -m POST -p /hello --auth public --https-only`).
 */
export function addApiCommands(program: Command): void {
  const verbs = { verb: (name: 'get' | 'delete') => resourceVerb(program, name) };
  addGet(verbs, {
    noun: 'api',
    aliases: ['apis'],
    description: 'HTTP APIs that expose functions through the gateway; READY once the gateway serves them',
    columns: COLUMNS,
    list: (c) => collect(c.pages('/v1/api', { query: { pageSize: 100 } })),
    one: async (c, name) => (await c.GET('/v1/api/{name}', { params: { path: { name } } })).data as unknown as Item,
    textFormats: { kong: kongExport },
  });

  apiFlags(
    resourceVerb(program, 'create')
      .command('api')
      .description('expose a function as an HTTP API through the gateway')
      .argument('<name>', 'the API')
      .argument('<function>', 'the function it calls'),
  ).action(async (name: string, fn: string, flags: ApiFlags, cmd: Command) => {
    const body = { name, ...apiBodyOf(fn, flags) };
    const c = await client(cmd);
    await finishChange(c, 'Created', (await c.POST('/v1/api', { body: body as never })).data as unknown as Item, flags);
  });

  apiFlags(
    resourceVerb(program, 'update')
      .command('api')
      .description('replace an API: the flags given and the defaults for the rest, as PUT does')
      .argument('<name>', 'the API')
      .argument('<function>', 'the function it calls'),
  ).action(async (name: string, fn: string, flags: ApiFlags, cmd: Command) => {
    const c = await client(cmd);
    const body = apiBodyOf(fn, flags);
    await finishChange(
      c,
      'Updated',
      (await c.PUT('/v1/api/{name}', { params: { path: { name } }, body: body as never })).data as unknown as Item,
      flags,
    );
  });

  addDelete(verbs, 'api', [], (c, name) => c.DELETE('/v1/api/{name}', { params: { path: { name } } }), 'stop serving an API and delete it');
}
