#!/usr/bin/env node
import { Command } from 'commander';
import { DISPATCH_VERSION } from '@dispatch/contracts';

/** The `dispatch` command. Its resource commands arrive with the CLI issue; this is the frame. */
export function buildProgram(): Command {
  const program = new Command('dispatch')
    .description('Dispatch: serverless functions, events, APIs and service bindings')
    .version(DISPATCH_VERSION, '-v, --version', 'print the CLI version');
  program
    .command('version')
    .description('print the CLI version')
    .option('-o, --output <format>', 'text or json', 'text')
    .action((opts: { output: string }) => {
      process.stdout.write(opts.output === 'json' ? `${JSON.stringify({ version: DISPATCH_VERSION })}\n` : `${DISPATCH_VERSION}\n`);
    });
  return program;
}

if (require.main === module) {
  buildProgram().parse(process.argv);
}
