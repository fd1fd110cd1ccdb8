import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { DispatchClient } from '@dispatch/sdk';
import { client, collect, commaList, nameOf, OUTPUT, resourceVerb, verb, type Item } from '../command-kit';
import { createFunction, deployFailure, readSource, updateFunction, waitForFunction, type FunctionFields } from '../function-deploy';
import { parseFormat, render, UsageError, type Column, type OutputFormat } from '../output';
import { startProgress } from '../progress';
import { addDelete, addGet } from '../resource-commands';

const FUNCTION_COLUMNS: Column<Item>[] = [
  { header: 'NAME', value: (f) => f.name },
  // A function runs either a runtime's build of its source or an image of its own.
  { header: 'RUNTIME', value: (f) => f.runtime ?? f.image },
  { header: 'STATUS', value: (f) => f.status },
  { header: 'VERSION', value: (f) => f.activeVersion },
  { header: 'CREATED', value: (f) => f.createdTime },
];

const VERSION_COLUMNS: Column<Item>[] = [
  { header: 'VERSION', value: (v) => v.version },
  { header: 'STATUS', value: (v) => v.status },
  { header: 'HANDLER', value: (v) => (v.spec as Item | undefined)?.handler },
  { header: 'CREATED', value: (v) => v.createdTime },
  { header: 'REASON', value: (v) => v.reason },
];

/** The runtimes a source build has; Dispatch's `--image nodejs` named an image of one of them. */
const RUNTIMES = ['nodejs', 'python3'];

/** The flags of `create function` and `update function`, as commander gives them. */
export interface FunctionFlags {
  image?: string;
  runtime?: string;
  handler?: string;
  schemaIn?: string;
  schemaOut?: string;
  secret?: string[];
  service?: string[];
  env?: string[];
  timeout?: string;
  memory?: string;
  maxConcurrency?: string;
  minReplicas?: string;
  maxReplicas?: string;
}

/** Repeatable and comma-separated, as Dispatch's `--secret a,b --secret c`. */
const repeated = (value: string, previous: string[] = []) => [...previous, value];

function addFunctionFlags(cmd: Command): Command {
  return cmd
    .option(
      '--image <image>',
      "nodejs or python3 builds the source with that runtime (as Dispatch's images of those names); another image runs as it is, without PATH",
    )
    .option('--runtime <runtime>', `the runtime that runs the source: ${RUNTIMES.join(', ')}`)
    .option(
      '--handler <handler>',
      'the entry point: a Node.js file (./hello.js, lib/x.js:name) or a Python module.function (hello.handle); a single-file PATH defaults to that file',
    )
    .option('--schema-in <file>', 'a JSON Schema file the input of every run must match (else the run fails with InputError)')
    .option('--schema-out <file>', 'a JSON Schema file the output must match')
    .option('--secret <names>', 'secrets the function reads; repeat it or separate names with commas', commaList)
    .option('--service <names>', 'service instances the function uses; repeat it or separate names with commas', commaList)
    .option('--env <KEY=VALUE>', 'an environment variable; repeat it for more (on update, the given ones replace all)', repeated)
    .option('--timeout <duration>', 'longest run: milliseconds as Dispatch took them (30000), or 30s, 5m; 1 s to 15 min')
    .option('--memory <MB>', 'memory limit in MB (64-4096)')
    .option('--max-concurrency <n>', 'runs one replica serves at once (1-100)')
    .option('--min-replicas <n>', 'warm replicas (0-10)')
    .option('--max-replicas <n>', 'most replicas (1-20)');
}

/** The API fields the flags set; absent flags set nothing, so an update changes only what is given. */
export async function functionFieldsOf(flags: FunctionFlags): Promise<FunctionFields> {
  const fields: FunctionFields = {};
  if (flags.image !== undefined && flags.runtime !== undefined)
    throw new UsageError('give either --image or --runtime: --image nodejs means --runtime nodejs');
  if (flags.runtime !== undefined) {
    if (!RUNTIMES.includes(flags.runtime)) throw new UsageError(`unknown runtime "${flags.runtime}": use one of ${RUNTIMES.join(', ')}`);
    fields.runtime = flags.runtime;
  }
  if (flags.image !== undefined) {
    if (RUNTIMES.includes(flags.image)) fields.runtime = flags.image;
    else fields.image = flags.image;
  }
  if (flags.handler !== undefined) fields.handler = flags.handler;
  if (flags.schemaIn !== undefined) fields.inputSchema = await readSchema(flags.schemaIn, '--schema-in');
  if (flags.schemaOut !== undefined) fields.outputSchema = await readSchema(flags.schemaOut, '--schema-out');
  if (flags.secret !== undefined) fields.secrets = flags.secret;
  if (flags.service !== undefined) fields.services = flags.service;
  if (flags.env !== undefined) fields.env = envOf(flags.env);
  if (flags.timeout !== undefined) {
    const seconds = timeoutSeconds(flags.timeout);
    if (seconds !== undefined) fields.timeoutSeconds = seconds;
  }
  if (flags.memory !== undefined) fields.memoryMb = whole(flags.memory, '--memory');
  if (flags.maxConcurrency !== undefined) fields.maxConcurrency = whole(flags.maxConcurrency, '--max-concurrency');
  if (flags.minReplicas !== undefined) fields.minReplicas = whole(flags.minReplicas, '--min-replicas');
  if (flags.maxReplicas !== undefined) fields.maxReplicas = whole(flags.maxReplicas, '--max-replicas');
  return fields;
}

async function readSchema(file: string, flag: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${flag}: cannot read ${file}: ${(e as Error).message}`);
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${flag}: ${file} is not JSON: ${(e as Error).message}`);
  }
  if (!schema || typeof schema !== 'object' || Array.isArray(schema))
    throw new UsageError(`${flag}: ${file} must hold a JSON Schema object`);
  return schema as Record<string, unknown>;
}

function envOf(pairs: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--env ${pair}: write KEY=VALUE`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

/**
 * Dispatch's `--timeout` counted milliseconds (0: none); the API counts whole seconds, so a part
 * second rounds up. 0 leaves the timeout to the server (30 s on create).
 */
export function timeoutSeconds(value: string): number | undefined {
  const m = /^(\d+)(ms|s|m)?$/.exec(value.trim());
  if (!m) throw new UsageError(`--timeout ${value}: give milliseconds (30000) or a duration such as 30s or 5m`);
  const ms = Number(m[1]) * (m[2] === 's' ? 1000 : m[2] === 'm' ? 60_000 : 1);
  return ms === 0 ? undefined : Math.ceil(ms / 1000);
}

function whole(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} ${value}: give a whole number`);
  return Number(value);
}

/**
 * The source to upload and the handler it implies: a single file is its own handler (`hello.js`,
 * `hello.py`, whose `handle` Python calls); a directory needs `--handler`, as Dispatch said.
 */
export async function sourceOf(path: string, fields: FunctionFields, creating: boolean) {
  const source = await readSource(path);
  if (fields.handler === undefined && creating) {
    if ((await stat(path)).isDirectory())
      throw new UsageError(`--handler is required: the source ${path} is a directory; name its entry point, e.g. --handler ./hello.js`);
    fields.handler = basename(path);
  }
  return source;
}

interface DeployOptions {
  wait: boolean;
  output: string;
}

/**
 * Waits for a deploy the way every function command does: progress on stderr, then the function
 * (or `Created function: NAME` in a table's place) on stdout; exit 1 with the reason on ERROR.
 */
async function finishDeploy(
  c: DispatchClient,
  started: Item,
  done: string,
  opts: DeployOptions,
  format: OutputFormat,
  served = (fn: Item) => `version ${String(fn.activeVersion)} serves`,
): Promise<void> {
  const name = String(started.name);
  if (!opts.wait) {
    process.stdout.write(
      format === 'table'
        ? `${done}: ${name} (${String(started.status)}; see dispatch get function ${name})\n`
        : render(started, format, FUNCTION_COLUMNS, nameOf),
    );
    return;
  }
  const progress = startProgress(`function ${name}: ${String(started.status)}`);
  let fn: Item;
  try {
    fn = await waitForFunction(c, name, { onStatus: (status) => progress.update(`function ${name}: ${status}`) });
  } finally {
    progress.stop();
  }
  const failure = deployFailure(fn);
  if (format !== 'table') process.stdout.write(render(fn, format, FUNCTION_COLUMNS, nameOf));
  if (failure) throw new Error(`function ${name} failed to deploy: ${failure}`);
  if (format === 'table') process.stdout.write(`${done}: ${name} (${served(fn)})\n`);
}

/** `dispatch get|create|update|delete function` and `dispatch function versions|rollback`, in Dispatch's shapes. */
export function addFunctionCommands(program: Command): void {
  const verbs = { verb: (name: 'get' | 'delete') => resourceVerb(program, name) };
  addGet(verbs, {
    noun: 'function',
    aliases: ['functions'],
    description: 'functions; with -o json a list is a JSON array and one function the object (its .status reads READY)',
    columns: FUNCTION_COLUMNS,
    list: (c) => collect(c.pages('/v1/function', { query: { pageSize: 100 } })),
    one: async (c, name) => (await c.GET('/v1/function/{name}', { params: { path: { name } } })).data as unknown as Item,
  });

  addFunctionFlags(
    resourceVerb(program, 'create')
      .command('function')
      .description('create a function from source and wait until it serves (READY, exit 0) or fails (ERROR, exit 1 with the reason)')
      .addHelpText(
        'after',
        '\nExamples:\n' +
          "  dispatch create function --image=nodejs hello ./hello.js                 (Dispatch's shape)\n" +
          '  dispatch create function --image=nodejs hello ./src --handler=./hello.js --schema-in in.json\n' +
          '  dispatch create function --runtime python3 hello-py ./hello.py           (calls handle(ctx, payload))',
      )
      .argument('<name>', 'the function')
      .argument('[path]', 'its source: one file, or a directory (then --handler names the entry point)'),
  )
    .option('--no-wait', 'return once the server accepted it (CREATING) instead of waiting for READY')
    .option(...OUTPUT)
    .action(async (name: string, path: string | undefined, opts: FunctionFlags & DeployOptions, cmd: Command) => {
      const format = parseFormat(opts.output);
      const fields = await functionFieldsOf(opts);
      if (fields.runtime === undefined && fields.image === undefined)
        throw new UsageError(`give the runtime: --image ${RUNTIMES.join('|')} (or --runtime) with the source PATH, or --image IMAGE`);
      if (fields.image !== undefined && path !== undefined)
        throw new UsageError(
          `--image ${String(fields.image)} is not a runtime (${RUNTIMES.join(', ')}): an image runs as it is and takes no PATH; for source, use --image nodejs or --image python3`,
        );
      if (fields.runtime !== undefined && path === undefined)
        throw new UsageError(
          `give the source PATH (a file or a directory): dispatch create function --image ${String(fields.runtime)} ${name} PATH`,
        );
      const source = path === undefined ? undefined : await sourceOf(path, fields, true);
      const c = await client(cmd);
      const created = await createFunction(c, { name, ...fields }, source);
      await finishDeploy(c, created, 'Created function', opts, format);
    });

  addFunctionFlags(
    resourceVerb(program, 'update')
      .command('function')
      .description('change a function: only the given flags (and PATH, new source) change; the result deploys as a new version')
      .argument('<name>', 'the function')
      .argument('[path]', 'new source: one file, or a directory'),
  )
    .option('--no-wait', 'return once the server accepted it (UPDATING) instead of waiting for the new version to serve')
    .option(...OUTPUT)
    .action(async (name: string, path: string | undefined, opts: FunctionFlags & DeployOptions, cmd: Command) => {
      const format = parseFormat(opts.output);
      const fields = await functionFieldsOf(opts);
      if (fields.image !== undefined && path !== undefined)
        throw new UsageError(`--image ${String(fields.image)} is not a runtime (${RUNTIMES.join(', ')}): an image takes no PATH`);
      const source = path === undefined ? undefined : await sourceOf(path, fields, false);
      if (!source && Object.keys(fields).length === 0)
        throw new UsageError('nothing to change: give new source (PATH) or a flag such as --handler, --env or --timeout');
      const c = await client(cmd);
      const updated = await updateFunction(c, name, fields, source);
      await finishDeploy(c, updated, 'Updated function', opts, format);
    });

  addDelete(verbs, 'function', [], (c, name) => c.DELETE('/v1/function/{name}', { params: { path: { name } } }));

  const fn = verb(program, 'function', "a function's versions: list them, or deploy an earlier one again");
  fn.command('versions')
    .description('the versions of a function, newest first (the one serving is READY)')
    .argument('<name>', 'the function')
    .option(...OUTPUT)
    .action(async (name: string, opts: { output: string }, cmd: Command) => {
      const format = parseFormat(opts.output);
      const c = await client(cmd);
      const versions = await collect(c.pages('/v1/function/{name}/versions', { path: { name }, query: { pageSize: 100 } }));
      process.stdout.write(render(versions, format, VERSION_COLUMNS, (v) => String(v.version)));
    });
  fn.command('rollback')
    .description("deploy an earlier version's spec and source again, as a new version, and wait until it serves")
    .argument('<name>', 'the function')
    .argument('[version]', 'the version to go back to (or --to)')
    // Not --version: the program's own --version (print the CLI's) would take it wherever it stands.
    .option('--to <version>', 'the version to go back to')
    .option('--no-wait', 'return once the server accepted it instead of waiting for it to serve')
    .option(...OUTPUT)
    .action(async (name: string, positional: string | undefined, opts: DeployOptions & { to?: string }, cmd: Command) => {
      const format = parseFormat(opts.output);
      if (positional !== undefined && opts.to !== undefined && positional !== opts.to)
        throw new UsageError(`give the version once: ${positional} or --to ${opts.to}`);
      const given = positional ?? opts.to;
      if (given === undefined)
        throw new UsageError(
          `name the version to go back to: dispatch function rollback ${name} N (see dispatch function versions ${name})`,
        );
      const version = whole(given, 'version');
      const c = await client(cmd);
      const { data } = await c.POST('/v1/function/{name}/rollback', { params: { path: { name } }, body: { version } as never });
      await finishDeploy(
        c,
        data as unknown as Item,
        'Rolled back function',
        opts,
        format,
        (f) => `version ${version} again, as version ${String(f.activeVersion)}, serves`,
      );
    });
}
