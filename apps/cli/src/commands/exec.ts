import { fstatSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { client, commaList, readAllStdin, type Item } from '../command-kit';
import { parseFormat, render, UsageError } from '../output';
import { followRun } from './logs';
import { RUN_COLUMNS, runFailure } from './runs';

/**
 * Node's fetch gives up on an answer whose headers take more than 300 s, and a blocking run answers
 * only when it ends: a function allowed to run longer than this is started async and its run
 * polled instead, with the same result printed.
 */
const LONGEST_BLOCKING_SECONDS = 240;

const quiet = { stdout: () => undefined, stderr: () => undefined };

/** Where a run's input comes from: `--input JSON`, `--input-file FILE`, or stdin (`-` for either). */
export interface InputFlags {
  input?: string;
  inputFile?: string;
}

/** What reads stdin: the process's own, or a test's. */
export interface Stdin {
  /** True when stdin carries data to read (a pipe, a file), not a terminal or /dev/null. */
  piped(): boolean;
  read(): Promise<string>;
}

export const processStdin: Stdin = {
  piped: () => {
    if (process.stdin.isTTY) return false;
    try {
      // A shell's pipe (`|`) or redirect (`<`). Not /dev/null (cron, `< /dev/null`), and not the
      // socket a program starting the CLI leaves open without writing to it (Node's execFile
      // does): reading either would wait for an end that may never come. `--input -` reads any stdin.
      const info = fstatSync(0);
      return info.isFIFO() || info.isFile();
    } catch {
      return false;
    }
  },
  read: readAllStdin,
};

/**
 * The run's input: `--input` (JSON, Dispatch's flag), else `--input-file`, else piped stdin
 * (`dispatch exec hello < in.json`, Dispatch's later shape); `-` as either flag's value reads
 * stdin. No input at all runs with none (null). Empty stdin is no input, not an error.
 */
export async function readRunInput(flags: InputFlags, stdin: Stdin): Promise<{ input?: unknown }> {
  if (flags.input !== undefined && flags.inputFile !== undefined)
    throw new UsageError('give the input once: --input JSON or --input-file FILE');
  let text: string | undefined;
  let from: string;
  if (flags.input === '-' || flags.inputFile === '-') {
    text = await stdin.read();
    from = 'stdin';
  } else if (flags.input !== undefined) {
    text = flags.input;
    from = '--input';
  } else if (flags.inputFile !== undefined) {
    try {
      text = await readFile(flags.inputFile, 'utf8');
    } catch (e) {
      throw new UsageError(`--input-file: cannot read ${flags.inputFile}: ${(e as Error).message}`);
    }
    from = flags.inputFile;
  } else if (stdin.piped()) {
    text = await stdin.read();
    from = 'stdin';
  } else {
    return {};
  }
  if (from === 'stdin' && text.trim() === '') return {};
  try {
    return { input: JSON.parse(text) };
  } catch (e) {
    throw new UsageError(
      `the input from ${from} is not JSON (${(e as Error).message}): give a JSON value, e.g. --input '{"name": "Jon"}' or --input '"text"'`,
    );
  }
}

interface ExecFlags extends InputFlags {
  wait?: boolean;
  async?: boolean;
  secret?: string[];
  output?: string;
}

/** Dispatch's `--secret a,b --secret c`. */

/** The run request the flags make: `{input, blocking, secrets}`, Dispatch's run body. */
export async function runRequestOf(flags: ExecFlags, stdin: Stdin): Promise<{ input?: unknown; blocking: boolean; secrets?: string[] }> {
  if (flags.wait && flags.async) throw new UsageError('give --wait or --async, not both');
  const { input } = await readRunInput(flags, stdin);
  return {
    ...(input !== undefined ? { input } : {}),
    blocking: !flags.async,
    ...(flags.secret?.length ? { secrets: flags.secret } : {}),
  };
}

/**
 * The output as printed: JSON, a string quoted too, so that what a script reads always parses
 * (`dispatch exec hello | jq .`); null (no output) prints nothing.
 */
export function outputText(output: unknown): string {
  return output === null || output === undefined ? '' : `${JSON.stringify(output, null, 2)}\n`;
}

async function timeoutSecondsOf(c: Awaited<ReturnType<typeof client>>, name: string): Promise<number> {
  const fn = (await c.GET('/v1/function/{name}', { params: { path: { name } } })).data as unknown as Item;
  return Number(fn.timeoutSeconds ?? 0);
}

/** Dispatch's exec took content types for its HTTP context; a run's input and output here are JSON. */
function jsonOnly(flag: string) {
  return (value: string): string => {
    if (!/^application\/json\s*(;.*)?$/i.test(value.trim()))
      throw new UsageError(`${flag} ${value}: a run's input and output are JSON here; leave it out or give application/json`);
    return value;
  };
}

/** `dispatch exec FUNCTION`. */
export function addExecCommand(program: Command, stdin: Stdin = processStdin): void {
  program
    .command('exec')
    .summary('run a function: blocking (its output printed) or --async (its run id printed)')
    .description(
      'run a function\n\n' +
        "By default the run blocks and its output is printed, as faas-cli invoke and kn func invoke do and as Dispatch's scripts asked with --wait (still accepted). " +
        "--async starts it and prints the run's id, to read later with dispatch get runs and dispatch logs. " +
        '-o json prints the whole run (its .output, .status, .error), as Dispatch printed it.\n\n' +
        'A failed run (InputError, FunctionError, SystemError, a timeout) prints its error type and message and exits 1.\n\n' +
        'Input: --input \'{"name": "Jon"}\', --input-file in.json, or piped stdin: dispatch exec hello < in.json (--input - reads stdin of any kind).',
    )
    .argument('<function>', 'the function to run')
    .option('--input <json>', "the run's input as JSON (- reads stdin)")
    .option('--input-file <file>', "a file holding the run's input as JSON (- reads stdin)")
    .option('--wait', 'block until the run ends and print its output (the default)')
    .option('--async', 'start the run and print its id without waiting (the server answers 202)')
    .option('--secret <names>', "secrets for this run besides the function's own; repeat it or separate names with commas", commaList)
    .option('-c, --content-type <type>', "Dispatch's input Content-Type: only application/json (the default)", jsonOnly('--content-type'))
    .option('-a, --accept <type>', "Dispatch's output Content-Type: only application/json (the default)", jsonOnly('--accept'))
    .option('-o, --output <format>', "json, yaml or name print the run (name: its id); without it, the run's output as JSON")
    .action(async (functionName: string, flags: ExecFlags, cmd: Command) => {
      const printsOutput = flags.output === undefined;
      const format = parseFormat(flags.output ?? 'json');
      if (format === 'table') throw new UsageError('-o table: exec prints a run as json, yaml or name, or (without -o) its output');
      const body = await runRequestOf(flags, stdin);
      const c = await client(cmd);
      const params = { path: { name: functionName } };
      let run: Item;
      if (body.blocking && (await timeoutSecondsOf(c, functionName)) > LONGEST_BLOCKING_SECONDS) {
        const started = (await c.POST('/v1/function/{name}/runs', { params, body: { ...body, blocking: false } as never }))
          .data as unknown as Item;
        run = await followRun(c, String(started.id), quiet, 1000);
      } else {
        run = (await c.POST('/v1/function/{name}/runs', { params, body: body as never })).data as unknown as Item;
      }
      if (!printsOutput) process.stdout.write(render(run, format, RUN_COLUMNS, (r) => String(r.id)));
      if (!body.blocking) {
        if (printsOutput) process.stdout.write(`${String(run.id)}\n`);
        return;
      }
      const failure = runFailure(run);
      if (failure) throw new Error(failure);
      if (printsOutput) process.stdout.write(outputText(run.output));
    });
}
