import type { Command } from 'commander';
import { DISPATCH_VERSION } from '@dispatch/contracts';
import { currentContext, loadConfig } from '../config';
import { serverVersion } from '../context';
import { parseFormat, render } from '../output';

export function addVersion(program: Command): void {
  program
    .command('version')
    .description("print the CLI's version and, when logged in, the server's")
    .option('-o, --output <format>', 'table, json, yaml or name', 'table')
    .action(async (opts: { output: string }, cmd: Command) => {
      const format = parseFormat(opts.output === 'text' ? 'table' : opts.output);
      const context = currentContext(await loadConfig(), (cmd.optsWithGlobals() as { context?: string }).context);
      // Dispatch's -o json shape: {"client": {"version"}, "server": {"version"}}.
      const result: { client: { version: string }; server?: { version: string } } = { client: { version: DISPATCH_VERSION } };
      if (context) result.server = { version: await serverVersion(context.apiUrl) };
      if (format === 'table' || format === 'name')
        process.stdout.write(`Client: ${result.client.version}\n${result.server ? `Server: ${result.server.version}\n` : ''}`);
      else process.stdout.write(render(result, format, [], () => ''));
    });
}
