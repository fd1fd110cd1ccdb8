#!/usr/bin/env node
import { Command } from 'commander';
import { DISPATCH_VERSION } from '@dispatch/contracts';
import { addCompletion } from './commands/completion';
import { addApiCommands } from './commands/api';
import { addApplyCommands } from './commands/apply';
import { addContext } from './commands/context';
import { addLogin } from './commands/login';
import { addFunctionCommands } from './commands/function';
import { addIamCommands } from './commands/iam';
import { addRunCommands } from './commands/run';
import { addSecretCommands } from './commands/secret';
import { addVersion } from './commands/version';
import { describeError } from './errors';

/** The `dispatch` command. Usage mistakes exit 2 (with commander's closest suggestion), failures 1. */
export function buildProgram(): Command {
  const program = new Command('dispatch')
    .description('Dispatch: serverless functions, events, APIs and service bindings')
    .version(DISPATCH_VERSION, '-v, --version', 'print the CLI version')
    .option('--context <name>', 'use this context instead of the current one')
    // Set before the subcommands are added, which inherit both.
    .exitOverride()
    .showSuggestionAfterError(true);
  addLogin(program);
  addContext(program);
  addFunctionCommands(program);
  addRunCommands(program);
  addSecretCommands(program);
  addIamCommands(program);
  addApiCommands(program);
  addApplyCommands(program);
  addVersion(program);
  addCompletion(program);
  return program;
}

/** Runs the CLI and gives its exit code. */
export async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (e) {
    const { message, exitCode } = describeError(e);
    if (message) process.stderr.write(`${message}\n`);
    return exitCode;
  }
}

/** `dispatch get runs | head`: the reader left, which is no failure of the command. */
export function exitQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

if (require.main === module) {
  exitQuietlyOnClosedPipe();
  void run(process.argv).then((code) => {
    process.exitCode = code;
  });
}
