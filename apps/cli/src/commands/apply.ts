import type { Command } from 'commander';
import { client, OUTPUT, readAllStdin, resourceVerb } from '../command-kit';
import { parseFormat, render, UsageError, type OutputFormat } from '../output';
import { applySeed, deleteSeed, type SeedOutcome } from '../seed/apply';
import { readSeedDocuments } from '../seed/documents';
import { planSeed } from '../seed/plan';

interface FileOptions {
  file?: string;
  workDir?: string;
  output: string;
}

/**
 * `dispatch create -f FILE|DIR|-` and `dispatch delete -f …`: the verbs themselves take seed files,
 * as Dispatch's did, while their nouns (`create secret NAME FILE`) stay subcommands.
 */
export function addApplyCommands(program: Command): void {
  fileVerb(
    resourceVerb(program, 'create'),
    'With -f, creates the resources of seed files, or updates those that exist: secrets, then functions, waiting until each function is READY or ERROR, then APIs, waiting until the gateway serves each (exit 1 if any is ERROR).',
  ).action((_nouns: string[], opts: FileOptions, cmd: Command) => runFile(cmd, opts, 'apply'));
  fileVerb(
    resourceVerb(program, 'delete'),
    'With -f, deletes the resources of seed files: APIs, then functions (each until it is gone), then secrets; those that do not exist are skipped.',
  ).action((_nouns: string[], opts: FileOptions, cmd: Command) => runFile(cmd, opts, 'delete'));
}

function fileVerb(verb: Command, what: string): Command {
  return (
    verb
      .option('-f, --file <path>', 'a seed file, a directory of them (*.yaml, *.yml, *.json), or - for stdin')
      .option('-w, --work-dir <dir>', "directory the file and the documents' relative paths are read from (default: the seed file's)")
      .option(...OUTPUT)
      .hook('preSubcommand', handOptionsToNoun)
      // With an action, commander no longer rejects an unknown noun itself: runFile does.
      .argument('[noun...]')
      .usage('[options] [command]')
      .addHelpText(
        'after',
        `\n${what}\nA seed file holds YAML documents apart by ---, in Dispatch's seed format (kind: Function with sourcePath, ` +
          `image nodejs or python3, handler, schema {in, out}, secrets, tags; kind: Secret with secrets; kind: API with function, ` +
          `uris, methods, protocols, hosts, authentication, cors, enabled) or this platform's ` +
          `(apiVersion: dispatch/v1, kind, name, tags, spec with the API's fields). A relative sourcePath is relative to the ` +
          `seed file (stdin: the current directory). The formats: examples/README.md.`,
      )
  );
}

/**
 * The verb reads its options wherever they are, `create secret NAME FILE -o json` included (the
 * global --context needs commander's default, non-positional parsing), so a noun gets its `-o` from
 * here; `-f` and `-w` belong to the verb alone.
 */
function handOptionsToNoun(verb: Command, noun: Command): void {
  const opts = verb.opts<FileOptions>();
  if (opts.file !== undefined || opts.workDir !== undefined)
    throw new UsageError(`-f and -w go with dispatch ${verb.name()} alone (dispatch ${verb.name()} -f FILE), not with ${noun.name()}`);
  if (verb.getOptionValueSource('output') !== 'cli') return;
  if (!noun.options.some((o) => o.attributeName() === 'output'))
    throw new UsageError(`dispatch ${verb.name()} ${noun.name()} prints no resources: leave out -o`);
  noun.setOptionValueWithSource('output', opts.output, 'cli');
}

async function runFile(cmd: Command, opts: FileOptions, mode: 'apply' | 'delete'): Promise<void> {
  if (cmd.args.length) {
    // commander's "unknown command 'secrt' (Did you mean secret?)", which it gives a verb without an action.
    (cmd as unknown as { unknownCommand(): never }).unknownCommand();
  }
  if (opts.file === undefined) cmd.help({ error: true });
  const format = parseFormat(opts.output);
  const docs = await readSeedDocuments({ file: opts.file, workDir: opts.workDir, readStdin: readAllStdin });
  const plan = await planSeed(docs, { readSources: mode === 'apply' });
  const c = await client(cmd);
  // Progress goes to stderr when stdout carries the resources, so `-o json` stays one JSON value.
  const log = (line: string) => (format === 'table' ? process.stdout : process.stderr).write(`${line}\n`);
  if (mode === 'delete') {
    print(await deleteSeed(c, plan, { log }), format);
    return;
  }
  const { failed, ...outcome } = await applySeed(c, plan, { log });
  print(outcome, format);
  if (failed.length)
    throw new Error(
      `${failed.length === 1 ? `a${failed[0].kind === 'api' ? 'n' : ''} ${failed[0].kind}` : `${failed.length} resources`} did not deploy:\n` +
        failed.map((f) => `  ${f.kind} ${f.name}: ${f.reason}`).join('\n') +
        '\nfix the source or settings and apply the seed again',
    );
}

function print(outcome: SeedOutcome, format: OutputFormat): void {
  if (format === 'table') return;
  if (format === 'name') {
    const names = [...outcome.secrets, ...outcome.functions, ...outcome.apis].map((i) => String(i.name));
    process.stdout.write(names.map((n) => `${n}\n`).join(''));
    return;
  }
  process.stdout.write(render(outcome, format, [], () => ''));
}
