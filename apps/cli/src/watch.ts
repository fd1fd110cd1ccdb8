import { Option, type Command } from 'commander';
import { UsageError } from './output';

/** The options `watchable` adds to a `get` command. */
export interface WatchOptions {
  watch?: boolean;
  interval?: string;
  /** Hidden: stop after this many prints (tests, scripts that want one change). */
  watchCount?: string;
}

export const DEFAULT_INTERVAL_SECONDS = 2;

/** What `watch` needs from the world, replaceable in tests. */
export interface WatchDeps {
  write: (text: string) => void;
  sleep: (ms: number) => Promise<void>;
  /** A terminal is cleared before each redraw; a pipe gets each new state appended. */
  isTTY: boolean;
  signal?: AbortSignal;
}

const CLEAR_SCREEN = '\x1b[H\x1b[2J';

const defaultDeps = (): WatchDeps => ({
  write: (text) => process.stdout.write(text),
  sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
  isTTY: Boolean(process.stdout.isTTY),
});

/**
 * Adds `-w, --watch`, `--interval` (and the hidden `--watch-count`) to a `get` command; `shortFlag: false`
 * leaves `-w` to a command that gives it another meaning (Dispatch's `iam get policy -w` is --wide).
 */
export function watchable<C extends Command>(cmd: C, { shortFlag = true } = {}): C {
  cmd.option(shortFlag ? '-w, --watch' : '--watch', 'keep watching: fetch again every interval and print what changed, until Ctrl-C');
  cmd.option('--interval <seconds>', `with --watch: seconds between fetches (default ${DEFAULT_INTERVAL_SECONDS})`);
  cmd.addOption(new Option('--watch-count <n>', 'with --watch: stop after printing n states').hideHelp());
  return cmd;
}

function positive(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, not "${value}"`);
  return n;
}

/**
 * Fetches and prints once; with `--watch`, fetches again every interval and prints again only when
 * the printed text changed (each new JSON/YAML state, or the table redrawn), until Ctrl-C.
 */
export async function printWatched<T>(
  opts: WatchOptions,
  fetch: () => Promise<T>,
  print: (data: T) => string,
  deps: WatchDeps = defaultDeps(),
): Promise<void> {
  const intervalMs = positive(opts.interval, '--interval', DEFAULT_INTERVAL_SECONDS) * 1000;
  const count = positive(opts.watchCount, '--watch-count', Infinity);
  if (!opts.watch) {
    if (opts.interval !== undefined || opts.watchCount !== undefined) throw new UsageError('--interval needs --watch');
    deps.write(print(await fetch()));
    return;
  }
  let last: string | undefined;
  let printed = 0;
  for (;;) {
    const text = print(await fetch());
    if (text !== last) {
      deps.write(deps.isTTY && last !== undefined ? CLEAR_SCREEN + text : text);
      last = text;
      if (++printed >= count) return;
    }
    if (deps.signal?.aborted) return;
    await deps.sleep(intervalMs);
    if (deps.signal?.aborted) return;
  }
}
