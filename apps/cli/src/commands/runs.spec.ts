import type { DispatchClient } from '@dispatch/sdk';
import { FakeApi, type Received } from '../test-support/fake-api';
import { followRun, printNewLines } from './logs';
import { timeFlag } from '../time-flag';
import { durationText, followedLine, followRuns, runFailure, runQueryOf } from './runs';

const RUN_ID = '0b6c2c4e-7f7e-4a43-9a5e-3f1b0c6d2a11';
const run = (over: Record<string, unknown> = {}) => ({
  id: RUN_ID,
  functionName: 'hello',
  status: 'SUCCEEDED',
  createdTime: '2026-12-07T10:00:00.000Z',
  startedTime: '2026-12-07T10:00:00.100Z',
  durationMs: 1234,
  logs: { stdout: [], stderr: [] },
  ...over,
});

describe('run filters and columns', () => {
  it('takes --since as an ISO time or as how long ago', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    expect(timeFlag('--since', '10m', now)).toBe('2026-12-07T11:50:00.000Z');
    expect(timeFlag('--since', '2h', now)).toBe('2026-12-07T10:00:00.000Z');
    expect(timeFlag('--since', '1d', now)).toBe('2026-12-06T12:00:00.000Z');
    expect(timeFlag('--since', '2026-11-23T10:00:00Z')).toBe('2026-11-23T10:00:00Z');
    expect(timeFlag('--since', '2026-11-23T10:00:00+01:00')).toBe('2026-11-23T10:00:00+01:00');
    expect(() => timeFlag('--since', 'yesterday')).toThrow('--since yesterday: give a time such as');
  });

  it('names a status as the API does, whatever its case, and refuses an unknown one', () => {
    expect(runQueryOf({ status: 'failed' })).toEqual({ status: 'FAILED' });
    expect(runQueryOf({})).toEqual({});
    expect(() => runQueryOf({ status: 'done' })).toThrow('--status done: use one of INITIALIZED, RUNNING, SUCCEEDED, FAILED, TIMED_OUT');
  });

  it('says how long a run took', () => {
    expect(durationText(85)).toBe('85ms');
    expect(durationText(1234)).toBe('1.2s');
    expect(durationText(184_000)).toBe('3m4s');
    expect(durationText(59_960)).toBe('1m0s');
    expect(durationText(119_600)).toBe('2m0s');
    expect(durationText(null)).toBe('');
  });

  it("describes only a failed run, by its error's type and message", () => {
    expect(runFailure(run())).toBeUndefined();
    expect(runFailure(run({ status: 'RUNNING' }))).toBeUndefined();
    expect(runFailure(run({ status: 'FAILED', error: { type: 'FunctionError', message: 'boom' } }))).toBe(
      `run ${RUN_ID} of hello FAILED: FunctionError: boom`,
    );
  });
});

describe('dispatch get runs (against a fake API)', () => {
  let api: FakeApi;
  beforeEach(async () => {
    api = new FakeApi((req: Received) => {
      if (req.url.startsWith(`/v1/runs/${RUN_ID}`)) return { status: 200, body: run() };
      const token = new URL(req.url, 'http://x').searchParams.get('pageToken');
      // Two pages: a list is every page's runs.
      return token
        ? { status: 200, body: { items: [run({ id: 'r-3' })] } }
        : { status: 200, body: { items: [run({ id: 'r-1' }), run({ id: 'r-2' })], nextPageToken: 'p2' } };
    });
    await api.start();
  });
  afterEach(() => api.stop());

  it('lists every page as a JSON array, with the filters in the query', async () => {
    expect(await api.cli('get', 'runs', 'hello', '--status', 'failed', '--since', '2026-11-23T10:00:00Z', '-o', 'json')).toBe(0);
    expect((JSON.parse(api.out) as { id: string }[]).map((r) => r.id)).toEqual(['r-1', 'r-2', 'r-3']);
    const url = new URL(api.requests[0].url, 'http://x');
    expect(url.pathname).toBe('/v1/function/hello/runs');
    expect(Object.fromEntries(url.searchParams)).toEqual({ status: 'FAILED', since: '2026-11-23T10:00:00Z', pageSize: '100' });
  });

  it('stops at --limit and --last; lists all functions without a name', async () => {
    expect(await api.cli('get', 'runs', '--last', '-o', 'name')).toBe(0);
    expect(api.out).toBe('r-1\n');
    expect(new URL(api.requests[0].url, 'http://x').pathname).toBe('/v1/runs');
    expect(api.requests).toHaveLength(1);
  });

  it('shows one run by FUNCTION RUN or by its id alone, in a table of ID, FUNCTION, STATUS, STARTED, DURATION', async () => {
    expect(await api.cli('get', 'runs', 'hello', RUN_ID)).toBe(0);
    expect(api.out).toMatch(/ID\s+│ FUNCTION\s+│ STATUS\s+│ STARTED\s+│ DURATION/);
    expect(api.out).toMatch(new RegExp(`${RUN_ID} │ hello\\s+│ SUCCEEDED │ 2026-12-07T10:00:00.100Z │ 1.2s`));
    expect(await api.cli('get', 'run', RUN_ID, '-o', 'json')).toBe(0);
    expect(await api.cli('get', 'runs', 'other', RUN_ID)).toBe(2);
    expect(api.err).toContain(`run ${RUN_ID} is a run of hello, not of other`);
  });
});

describe('dispatch get runs --follow', () => {
  it('prints each run once per status it reaches, oldest first, asking for the runs since the oldest unfinished one', async () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    const at = (s: number) => new Date(now - s * 1000).toISOString();
    const polls = [
      [run({ id: 'new', status: 'RUNNING', createdTime: at(1) }), run({ id: 'old', status: 'RUNNING', createdTime: at(300) })],
      [run({ id: 'new', status: 'SUCCEEDED', createdTime: at(1) }), run({ id: 'old', status: 'RUNNING', createdTime: at(300) })],
    ];
    const queries: Record<string, unknown>[] = [];
    const abort = new AbortController();
    const client = {
      pages: async function* (_path: string, params: { query: Record<string, unknown> }) {
        queries.push(params.query);
        const page = polls[queries.length - 1] ?? [];
        if (queries.length >= polls.length) abort.abort();
        yield* page;
      },
    } as unknown as DispatchClient;
    const seen = new Map([['old', run({ id: 'old', status: 'RUNNING', createdTime: at(300) })]]);
    const printed: string[] = [];
    await followRuns(client, 'hello', { status: 'RUNNING' }, seen, (r) => printed.push(`${String(r.id)} ${String(r.status)}`), {
      intervalMs: 1,
      signal: abort.signal,
      now: () => now,
    });
    expect(printed).toEqual(['new RUNNING', 'new SUCCEEDED']);
    // The run still going since 5 minutes ago keeps the window open that far back.
    expect(queries[0]).toEqual({ status: 'RUNNING', since: at(300), pageSize: 100 });
  });

  it('prints a followed run as a line: columns for a table, one JSON object for json', () => {
    const r = run();
    expect(followedLine(r, 'table')).toBe(`${RUN_ID}  hello  SUCCEEDED  2026-12-07T10:00:00.100Z  1.2s\n`);
    expect(JSON.parse(followedLine(r, 'json'))).toEqual(r);
    expect(followedLine(r, 'json').trimEnd()).not.toContain('\n');
    expect(followedLine(r, 'name')).toBe(`${RUN_ID}\n`);
  });
});

describe('dispatch logs', () => {
  it('prints only the lines not printed yet, each stream to its own', () => {
    const out: string[] = [];
    const sink = { stdout: (l: string) => out.push(`out:${l}`), stderr: (l: string) => out.push(`err:${l}`) };
    const printed = { stdout: 0, stderr: 0 };
    printNewLines({ stdout: ['a'], stderr: [] }, printed, sink);
    printNewLines({ stdout: ['a', 'b'], stderr: ['x'] }, printed, sink);
    printNewLines({ stdout: ['a', 'b'], stderr: ['x'] }, printed, sink);
    expect(out).toEqual(['out:a', 'out:b', 'err:x']);
  });

  it('follows a run until it finishes, printing each line once', async () => {
    const states = [
      run({ status: 'INITIALIZED', logs: { stdout: [], stderr: [] } }),
      run({ status: 'RUNNING', logs: { stdout: ['start'], stderr: [] } }),
      run({ status: 'SUCCEEDED', logs: { stdout: ['start', 'end'], stderr: ['warn'] } }),
    ];
    let polls = 0;
    const client = { GET: async () => ({ data: states[Math.min(polls++, states.length - 1)] }) } as unknown as DispatchClient;
    const lines: string[] = [];
    const done = await followRun(client, RUN_ID, { stdout: (l) => lines.push(l), stderr: (l) => lines.push(`!${l}`) }, 1);
    expect(done.status).toBe('SUCCEEDED');
    expect(polls).toBe(3);
    expect(lines).toEqual(['start', 'end', '!warn']);
  });
});
