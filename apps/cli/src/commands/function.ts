import type { Command } from 'commander';
import { client, collect, nameOf, OUTPUT, resourceVerb, type Item } from '../command-kit';
import { printWatched, watchable, type WatchOptions } from '../watch';
import { parseFormat, render, type Column } from '../output';

const FUNCTION_COLUMNS: Column<Item>[] = [
  { header: 'NAME', value: (f) => f.name },
  { header: 'RUNTIME', value: (f) => f.runtime },
  { header: 'STATUS', value: (f) => f.status },
  { header: 'VERSION', value: (f) => f.activeVersion },
  { header: 'CREATED', value: (f) => f.createdTime },
];

/** `dispatch get|delete function`, in Dispatch's shapes. */
export function addFunctionCommands(program: Command): void {
  const get = resourceVerb(program, 'get');
  watchable(get.command('function'))
    .alias('functions')
    .description('functions; with -o json a list is a JSON array and one function the object (its .status reads READY)')
    .argument('[name]', 'one function')
    .option(...OUTPUT)
    .action(async (name: string | undefined, opts: { output: string } & WatchOptions, cmd: Command) => {
      const format = parseFormat(opts.output);
      const c = await client(cmd);
      const fetch = async () =>
        name
          ? ((await c.GET('/v1/function/{name}', { params: { path: { name } } })).data as unknown as Item)
          : await collect(c.pages('/v1/function', { query: { pageSize: 100 } }));
      await printWatched(opts, fetch, (data) => render(data, format, FUNCTION_COLUMNS, nameOf));
    });
  resourceVerb(program, 'delete')
    .command('function')
    .description('delete a function')
    .argument('<name>', 'the function')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const c = await client(cmd);
      await c.DELETE('/v1/function/{name}', { params: { path: { name } } });
      process.stdout.write(`Deleted function: ${name}\n`);
    });
}
