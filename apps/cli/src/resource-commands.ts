import type { Command } from 'commander';
import type { DispatchClient } from '@dispatch/sdk';
import { client, nameOf, OUTPUT, type Item } from './command-kit';
import { parseFormat, render, UsageError, type Column } from './output';
import { printWatched, watchable, type WatchOptions } from './watch';

/** Where `get` and `delete` nouns go: the top-level verbs, or those under `dispatch iam`. */
export interface VerbSource {
  verb(name: 'get' | 'delete'): Command;
}

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
  /** The noun's own output formats besides table, json, yaml and name, each printing what it answers as is (`-o kong`). */
  textFormats?: Record<string, (c: DispatchClient, name: string | undefined) => Promise<string>>;
  /** False where `-w` means something else than --watch. */
  watchShortFlag?: boolean;
}

/** `get NOUN [name]`: a table, -o json|yaml|name, and --watch. */
export function addGet(verbs: VerbSource, r: Readable): Command {
  const cmd = verbs.verb('get').command(r.noun).aliases(r.aliases).description(r.description);
  if (r.one) cmd.argument('[name]', `one ${r.noun}`);
  r.options?.(cmd);
  const [flags, help, fallback] = OUTPUT;
  const own = Object.keys(r.textFormats ?? {});
  const output = own.length ? ([flags, `${help.replace(' or ', ', ')} or ${own.join(', ')}`, fallback] as const) : OUTPUT;
  watchable(cmd.option(...output), { shortFlag: r.watchShortFlag ?? true });
  return cmd.action(async (...args: unknown[]) => {
    const command = args.at(-1) as Command;
    const opts = args.at(-2) as Record<string, unknown> & WatchOptions & { output: string };
    const name = r.one ? (args[0] as string | undefined) : undefined;
    const text = r.textFormats?.[opts.output];
    if (text) {
      if (opts.watch) throw new UsageError(`-o ${opts.output} prints once: leave out --watch`);
      process.stdout.write(await text(await client(command), name));
      return;
    }
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
export function addDelete(
  verbs: VerbSource,
  noun: string,
  aliases: string[],
  remove: (c: DispatchClient, name: string) => Promise<unknown>,
  description = `delete a ${noun}`,
) {
  return verbs
    .verb('delete')
    .command(noun)
    .aliases(aliases)
    .description(description)
    .argument('<name>', `the ${noun}`)
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      await remove(await client(cmd), name);
      process.stdout.write(`Deleted ${noun}: ${name}\n`);
    });
}
