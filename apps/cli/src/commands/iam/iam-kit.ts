import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { DispatchClient } from '@dispatch/sdk';
import { client, nameOf, OUTPUT, type Item } from '../../command-kit';
import { parseFormat, render, UsageError, type Column, type OutputFormat } from '../../output';
import { printWatched, watchable, type WatchOptions } from '../../watch';

export type IamVerb = 'get' | 'create' | 'update' | 'delete' | 'revoke';

/**
 * Where the identity resources add their nouns: the top-level verbs (`dispatch get role`), and
 * again under `dispatch iam` (`dispatch iam get role`), Dispatch's own shape.
 */
export interface Verbs {
  verb(name: IamVerb): Command;
  /** True under `dispatch iam`, where a flag keeps the meaning Dispatch gave it (`iam get policy -w` is --wide). */
  dispatchForm: boolean;
}

export interface Tag {
  key: string;
  value: string;
}

/** `--tag key=value`, repeatable. */
export const TAG = ['--tag <key=value>', 'a tag (repeatable)', collectTags] as const;

function collectTags(value: string, previous: Tag[] = []): Tag[] {
  const at = value.indexOf('=');
  if (at < 1) throw new UsageError(`--tag ${value}: write it as key=value`);
  return [...previous, { key: value.slice(0, at), value: value.slice(at + 1) }];
}

/** A whole-number option of at least `min`. */
export function count(flag: string, min = 0) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number of at least ${min}, not "${value}"`);
    return n;
  };
}

/** A file's text, or a usage error naming the file (exit 2). */
export async function readTextFile(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the ${what} file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The body of an answer, as the commands read it. */
export const body = (answer: { data?: unknown }): Item => answer.data as unknown as Item;

/** How one resource is listed, read and printed. */
export interface Readable {
  noun: string;
  aliases: string[];
  description: string;
  /** The table's columns, which may depend on the command's options (--wide). */
  columns: Column<Item>[] | ((opts: Record<string, unknown>) => Column<Item>[]);
  /** The list, or the one item of a resource that is a single object (quota, usage); `opts` holds the command's own options. */
  list: (c: DispatchClient, opts: Record<string, unknown>) => Promise<Item[] | Item>;
  /** One by name, where the API reads one. */
  one?: (c: DispatchClient, name: string) => Promise<Item>;
  nameOf?: (i: Item) => string;
  /** Adds the command's own options (filters). */
  options?: (cmd: Command) => void;
  /** False where `-w` means something else than --watch. */
  watchShortFlag?: boolean;
}

/** `get NOUN [name]`: a table, -o json|yaml|name, and --watch. */
export function addGet(verbs: Verbs, r: Readable): Command {
  const cmd = verbs.verb('get').command(r.noun).aliases(r.aliases).description(r.description);
  if (r.one) cmd.argument('[name]', `one ${r.noun}`);
  r.options?.(cmd);
  watchable(cmd.option(...OUTPUT), { shortFlag: r.watchShortFlag ?? true });
  return cmd.action(async (...args: unknown[]) => {
    const command = args.at(-1) as Command;
    const opts = args.at(-2) as Record<string, unknown> & WatchOptions & { output: string };
    const name = r.one ? (args[0] as string | undefined) : undefined;
    const format = parseFormat(opts.output);
    const c = await client(command);
    await printWatched(
      opts,
      () => (name && r.one ? r.one(c, name) : r.list(c, opts)),
      (data) => render(data, format, typeof r.columns === 'function' ? r.columns(opts) : r.columns, r.nameOf ?? nameOf),
    );
  });
}

/** `delete NOUN name`, printing Dispatch's `Deleted NOUN: name`. */
export function addDelete(verbs: Verbs, noun: string, aliases: string[], remove: (c: DispatchClient, name: string) => Promise<unknown>) {
  return verbs
    .verb('delete')
    .command(noun)
    .aliases(aliases)
    .description(`delete a ${noun}`)
    .argument('<name>', `the ${noun}`)
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      await remove(await client(cmd), name);
      process.stdout.write(`Deleted ${noun}: ${name}\n`);
    });
}

/** What a create or update prints: Dispatch's one line for a table, else the resource as the API answered it. */
export function printChanged(
  done: 'Created' | 'Updated' | 'Revoked',
  noun: string,
  item: Item,
  format: OutputFormat,
  columns: Column<Item>[],
) {
  process.stdout.write(format === 'table' ? `${done} ${noun}: ${nameOf(item)}\n` : render(item, format, columns, nameOf));
}

/** The column every resource has. */
export const CREATED: Column<Item> = { header: 'CREATED', value: (i) => i.createdTime };
export const NAME: Column<Item> = { header: 'NAME', value: (i) => i.name };
