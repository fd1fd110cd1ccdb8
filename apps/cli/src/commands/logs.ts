import type { Command } from 'commander';
import type { DispatchClient } from '@dispatch/sdk';
import { client, type Item } from '../command-kit';
import { UsageError } from '../output';
import { getRun, TERMINAL_RUN_STATUSES } from './runs';

interface RunLogs {
  stdout: string[];
  stderr: string[];
}

const logsOf = (run: Item): RunLogs => {
  const logs = (run.logs ?? {}) as Partial<RunLogs>;
  return { stdout: logs.stdout ?? [], stderr: logs.stderr ?? [] };
};

/** Where each stream's lines go, and how many of them were printed already. */
export interface LogSink {
  stdout(line: string): void;
  stderr(line: string): void;
}

/**
 * Prints the lines of a run's logs not printed yet: `printed` counts the lines of each stream
 * printed so far and moves on; the logs of a run only grow, so a count is where to go on.
 */
export function printNewLines(logs: RunLogs, printed: { stdout: number; stderr: number }, sink: LogSink): void {
  for (const line of logs.stdout.slice(printed.stdout)) sink.stdout(line);
  for (const line of logs.stderr.slice(printed.stderr)) sink.stderr(line);
  printed.stdout = Math.max(printed.stdout, logs.stdout.length);
  printed.stderr = Math.max(printed.stderr, logs.stderr.length);
}

const terminalSink: LogSink = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  // The function's stderr stays stderr, so `dispatch logs RUN 2>/dev/null` keeps only its stdout.
  stderr: (line) => process.stderr.write(`${line}\n`),
};

/** Polls a run until it ends, printing its new lines as they come; gives the finished run. */
export async function followRun(c: DispatchClient, id: string, sink: LogSink, intervalMs = 500): Promise<Item> {
  const printed = { stdout: 0, stderr: 0 };
  for (;;) {
    const run = await getRun(c, id);
    printNewLines(logsOf(run), printed, sink);
    if (TERMINAL_RUN_STATUSES.includes(String(run.status))) return run;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** `dispatch logs RUN`: what a run's function wrote. */
export function addLogsCommand(program: Command): void {
  program
    .command('logs')
    .summary("what a run's function wrote; --follow until it ends")
    .description(
      "what a run's function wrote (console.log, print): its stdout lines on stdout, its stderr lines on stderr; " +
        'with --follow, waits while the run has not finished and prints each new line once',
    )
    .argument('<run>', 'the run id (from dispatch exec --async or dispatch get runs)')
    .option('-f, --follow', 'keep polling until the run finishes')
    .option('--interval <ms>', 'with --follow, how often to poll, in milliseconds', '500')
    .action(async (id: string, flags: { follow?: boolean; interval: string }, cmd: Command) => {
      const interval = Number(flags.interval);
      if (!Number.isInteger(interval) || interval < 100)
        throw new UsageError(`--interval ${flags.interval}: give milliseconds, 100 or more`);
      const c = await client(cmd);
      if (flags.follow) {
        await followRun(c, id, terminalSink, interval);
        return;
      }
      printNewLines(logsOf(await getRun(c, id)), { stdout: 0, stderr: 0 }, terminalSink);
    });
}
