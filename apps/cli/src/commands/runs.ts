import type { Command } from 'commander';
import type { DispatchClient } from '@dispatch/sdk';
import { client, OUTPUT, resourceVerb, type Item } from '../command-kit';
import { stringify } from 'yaml';
import { timeFlag } from '../time-flag';
import { parseFormat, render, UsageError, type Column, type OutputFormat } from '../output';

/** A run's duration as a person reads it: 85ms, 1.2s, 3m4s. */
export function durationText(ms: unknown): string {
  if (typeof ms !== 'number') return '';
  if (ms < 1000) return `${ms}ms`;
  // Rounded first, so 59.96 s reads 1m0s rather than 60.0s, and 119.6 s 2m0s rather than 1m60s.
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

export const RUN_COLUMNS: Column<Item>[] = [
  { header: 'ID', value: (r) => r.id },
  { header: 'FUNCTION', value: (r) => r.functionName },
  { header: 'STATUS', value: (r) => r.status },
  // An async run waiting in the queue has not started: when it was asked for says more than nothing.
  { header: 'STARTED', value: (r) => r.startedTime ?? r.createdTime },
  { header: 'DURATION', value: (r) => durationText(r.durationMs) },
];

export const TERMINAL_RUN_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT'];
const RUN_STATUSES = ['INITIALIZED', 'RUNNING', ...TERMINAL_RUN_STATUSES];

/** A run id as the API makes them (a UUID), told apart from a function name given alone. */
const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What went wrong in a finished run, for stderr: its error's type and message (and the first lines
 * of a stack), or undefined when it succeeded or has not finished.
 */
export function runFailure(run: Item): string | undefined {
  if (run.status !== 'FAILED' && run.status !== 'TIMED_OUT') return undefined;
  const error = run.error as { type?: string; message?: string; stacktrace?: string[] } | null | undefined;
  const what = error ? `${error.type ?? 'Error'}: ${error.message ?? 'no message'}` : `the run ${String(run.status)}`;
  const stack = error?.stacktrace?.length ? `\n${error.stacktrace.slice(0, 10).join('\n')}` : '';
  return `run ${String(run.id)} of ${String(run.functionName)} ${String(run.status)}: ${what}${stack}`;
}

export interface RunListFlags {
  status?: string;
  since?: string;
  last?: boolean;
  limit?: string;
  follow?: boolean;
}

/** The list's query: Dispatch's filters as the API names them. */
export function runQueryOf(flags: RunListFlags): Record<string, string> {
  const query: Record<string, string> = {};
  if (flags.status !== undefined) {
    const status = flags.status.toUpperCase();
    if (!RUN_STATUSES.includes(status)) throw new UsageError(`--status ${flags.status}: use one of ${RUN_STATUSES.join(', ')}`);
    query.status = status;
  }
  if (flags.since !== undefined) query.since = timeFlag('--since', flags.since);
  return query;
}

function limitOf(flags: RunListFlags): number {
  if (flags.last) return 1;
  if (flags.limit === undefined) return Infinity;
  if (!/^[1-9]\d*$/.test(flags.limit)) throw new UsageError(`--limit ${flags.limit}: give a whole number of runs, 1 or more`);
  return Number(flags.limit);
}

/** The runs, newest first, of one function or all, up to `limit`. */
async function listRuns(
  c: DispatchClient,
  functionName: string | undefined,
  query: Record<string, string>,
  limit: number,
): Promise<Item[]> {
  const pageSize = Math.min(limit, 100);
  const pages = functionName
    ? c.pages('/v1/function/{name}/runs', { path: { name: functionName }, query: { ...query, pageSize } })
    : c.pages('/v1/runs', { query: { ...query, pageSize } });
  const runs: Item[] = [];
  for await (const run of pages) {
    runs.push(run as Item);
    if (runs.length >= limit) break;
  }
  return runs;
}

/** One run by its id; under a function's name, only if it is a run of that function. */
export async function getRun(c: DispatchClient, id: string, functionName?: string): Promise<Item> {
  const { data } = await c.GET('/v1/runs/{id}', { params: { path: { id } } });
  const run = data as unknown as Item;
  if (functionName !== undefined && run.functionName !== functionName)
    throw new UsageError(
      `run ${id} is a run of ${String(run.functionName)}, not of ${functionName}: dispatch get runs ${String(run.functionName)} ${id}`,
    );
  return run;
}

/** How a followed run prints: a table's row as a line, JSON one object a line, YAML one document each. */
export function followedLine(run: Item, format: OutputFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(run)}\n`;
    case 'yaml':
      return `---\n${stringify(run)}`;
    case 'name':
      return `${String(run.id)}\n`;
    case 'table':
      return `${RUN_COLUMNS.map((c) => String(c.value(run) ?? '')).join('  ')}\n`;
  }
}

/** Server and client clocks may differ: a followed window starts this much before the client's now. */
const CLOCK_SLACK_MS = 60_000;

export interface FollowOptions {
  intervalMs: number;
  signal?: AbortSignal;
  now?: () => number;
}

/**
 * Dispatch's `get runs --follow`: polls the list and prints each run once per status it reaches
 * (a run seen RUNNING prints again when it ends). `seen` holds the runs already printed and their
 * status. Each poll asks for runs created since the oldest one still unfinished (or a minute ago).
 */
export async function followRuns(
  c: DispatchClient,
  functionName: string | undefined,
  query: Record<string, string>,
  seen: Map<string, Item>,
  print: (run: Item) => void,
  options: FollowOptions,
): Promise<void> {
  const now = options.now ?? Date.now;
  const userSince = query.since ? Date.parse(query.since) : -Infinity;
  while (!options.signal?.aborted) {
    await new Promise((r) => setTimeout(r, options.intervalMs));
    if (options.signal?.aborted) return;
    const unfinished = [...seen.values()].filter((r) => !TERMINAL_RUN_STATUSES.includes(String(r.status)));
    const since = Math.max(userSince, Math.min(now() - CLOCK_SLACK_MS, ...unfinished.map((r) => Date.parse(String(r.createdTime)))));
    const runs = await listRuns(c, functionName, { ...query, since: new Date(since).toISOString() }, Infinity);
    for (const run of runs.reverse()) {
      const id = String(run.id);
      if (seen.get(id)?.status === run.status) continue;
      seen.set(id, run);
      print(run);
    }
    // Finished runs older than the window are not asked for again: forget them.
    for (const [id, run] of seen)
      if (TERMINAL_RUN_STATUSES.includes(String(run.status)) && Date.parse(String(run.createdTime)) < since) seen.delete(id);
  }
}

/** `dispatch get runs [FUNCTION [RUN]]`, Dispatch's shape: -o json is an array, one run the object. */
export function addGetRunsCommand(program: Command): void {
  resourceVerb(program, 'get')
    .command('runs')
    .alias('run')
    .description(
      'runs, newest first: of every function, of one (FUNCTION), or one run (FUNCTION RUN, or the RUN id alone); ' +
        'with -o json a list is a JSON array and one run the object (its .output, .error, .logs). ' +
        'With --follow, runs go on printing as they start and end, oldest first, one a line (-o json: one object a line); Ctrl-C stops.',
    )
    .argument('[function]', 'only the runs of this function (or a run id)')
    .argument('[run]', 'one run of the function, by its id')
    .option('--status <status>', `only runs in this status: ${RUN_STATUSES.join(', ')}`)
    .option('--since <time>', 'only runs created at or after this time: ISO 8601 (2026-11-23T10:00:00Z) or ago (30s, 10m, 2h, 1d)')
    .option('--last', 'only the newest run')
    .option('--limit <n>', 'at most this many runs (the newest)')
    .option('-f, --follow', 'after the list, keep printing runs as they start and finish')
    .option(...OUTPUT)
    .action(async (fn: string | undefined, id: string | undefined, flags: RunListFlags & { output: string }, cmd: Command) => {
      const format = parseFormat(flags.output);
      const query = runQueryOf(flags);
      const limit = limitOf(flags);
      const c = await client(cmd);
      const runId = id ?? (fn !== undefined && RUN_ID.test(fn) ? fn : undefined);
      if (runId !== undefined && flags.follow)
        throw new UsageError(`--follow follows a list of runs; for one run, follow its logs: dispatch logs ${runId} --follow`);
      if (runId !== undefined) {
        process.stdout.write(render(await getRun(c, runId, id !== undefined ? fn : undefined), format, RUN_COLUMNS, (r) => String(r.id)));
        return;
      }
      const runs = await listRuns(c, fn, query, limit);
      if (!flags.follow) {
        process.stdout.write(render(runs, format, RUN_COLUMNS, (r) => String(r.id)));
        return;
      }
      // A stream of JSON objects, one a line, from the first: an array could never be closed.
      if (format === 'table') process.stdout.write(render(runs, format, RUN_COLUMNS, (r) => String(r.id)));
      else for (const run of [...runs].reverse()) process.stdout.write(followedLine(run, format));
      const seen = new Map(runs.map((r) => [String(r.id), r]));
      await followRuns(c, fn, query, seen, (run) => process.stdout.write(followedLine(run, format)), { intervalMs: 2000 });
    });
}
