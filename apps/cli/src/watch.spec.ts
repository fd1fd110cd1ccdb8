import { Command } from 'commander';
import { UsageError } from './output';
import { printWatched, watchable, type WatchDeps } from './watch';

/** A fetcher that answers each state in turn, then repeats the last. */
function states<T>(...answers: T[]) {
  let calls = 0;
  const fetch = jest.fn(async () => answers[Math.min(calls++, answers.length - 1)]);
  return fetch;
}

const render = (data: unknown) => `${JSON.stringify(data)}\n`;

describe('printWatched', () => {
  let out: string[];
  let deps: WatchDeps;
  beforeEach(() => {
    jest.useFakeTimers();
    out = [];
    deps = { write: (t) => out.push(t), sleep: (ms) => new Promise((done) => setTimeout(done, ms)), isTTY: false };
  });
  afterEach(() => jest.useRealTimers());

  it('prints once without --watch', async () => {
    const fetch = states({ status: 'READY' });
    await printWatched({}, fetch, render, deps);
    expect(out).toEqual(['{"status":"READY"}\n']);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('prints each new state, skipping unchanged ones, at the interval', async () => {
    const fetch = states({ status: 'CREATING' }, { status: 'CREATING' }, { status: 'READY' });
    const done = printWatched({ watch: true, interval: '1', watchCount: '2' }, fetch, render, deps);
    await jest.advanceTimersByTimeAsync(0);
    expect(out).toEqual(['{"status":"CREATING"}\n']);
    await jest.advanceTimersByTimeAsync(999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(out).toHaveLength(1); // unchanged: nothing printed
    await jest.advanceTimersByTimeAsync(1000);
    await done;
    expect(out).toEqual(['{"status":"CREATING"}\n', '{"status":"READY"}\n']);
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('clears a terminal before each redraw', async () => {
    const fetch = states('a', 'b');
    const done = printWatched({ watch: true, watchCount: '2' }, fetch, (s) => `${s}\n`, { ...deps, isTTY: true });
    await jest.advanceTimersByTimeAsync(2000);
    await done;
    expect(out).toEqual(['a\n', '\x1b[H\x1b[2Jb\n']);
  });

  it('stops when its signal aborts', async () => {
    const abort = new AbortController();
    const fetch = states(1, 2, 3);
    const done = printWatched({ watch: true, interval: '0.5' }, fetch, render, { ...deps, signal: abort.signal });
    await jest.advanceTimersByTimeAsync(500);
    abort.abort();
    await jest.advanceTimersByTimeAsync(500);
    await done;
    expect(out).toEqual(['1\n', '2\n']);
  });

  it('passes a failed fetch on (e.g. the watched resource was deleted)', async () => {
    const fetch = jest.fn().mockResolvedValueOnce('x').mockRejectedValueOnce(new Error('NOT_FOUND'));
    const done = printWatched({ watch: true }, fetch, render, deps);
    const failed = expect(done).rejects.toThrow('NOT_FOUND');
    await jest.advanceTimersByTimeAsync(2000);
    await failed;
  });

  it('refuses a bad interval or an interval without --watch', async () => {
    await expect(printWatched({ watch: true, interval: '0' }, states(1), render, deps)).rejects.toThrow(UsageError);
    await expect(printWatched({ watch: true, interval: 'soon' }, states(1), render, deps)).rejects.toThrow(
      '--interval must be a positive number',
    );
    await expect(printWatched({ interval: '1' }, states(1), render, deps)).rejects.toThrow('--interval needs --watch');
  });
});

describe('watchable', () => {
  it('adds -w/--watch and --interval, and hides --watch-count from help', () => {
    const cmd = watchable(new Command('get'));
    cmd.parse(['-w', '--interval', '0.5', '--watch-count', '3'], { from: 'user' });
    expect(cmd.opts()).toEqual({ watch: true, interval: '0.5', watchCount: '3' });
    expect(cmd.helpInformation()).toContain('-w, --watch');
    expect(cmd.helpInformation()).not.toContain('--watch-count');
  });
});
