import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { RUN_LOG_MAX_LINE_LENGTH, RUN_LOG_MAX_LINES, SHIM_EXIT_HANDLER_ERROR, SHIM_EXIT_LIFELINE_LOST } from '@dispatch/contracts';
import { isAlive } from '../proc';
import { freePort } from '../process';
import { waitFor } from '../wait-for';
import type { ShimLauncher, ShimProcess } from './shim-process';

export interface ShimContractOptions {
  /** Set up by the caller's beforeAll, torn down by its afterAll. */
  shims: ShimLauncher;
  /** The fixture functions' directory. */
  codeDir: string;
  /**
   * The handler of the test actions: `echo` (answers `{payload, secrets}`), `interleave`
   * `{tag, lines, expect}`, `flood` `{lines}`, `logs` (writes `to stdout`, `crlf` ended by CRLF,
   * `second` and an unterminated `no newline` to stdout, `to stderr` then `logsStderr`'s other lines
   * to stderr, and answers `logged`), and the long-line action named by `longLine`.
   */
  calls: string;
  /** What the `logs` action writes to stderr, in this runtime's idioms (raw bytes, a logging call). */
  logsStderr: string[];
  /** An action that writes `line` to stdout after its reply (from a timer, a thread). */
  late: { action: string; line: string };
  /** Actions returning a value that is not JSON, each with the error message it yields. */
  notJson: [action: string, message: RegExp][];
  /** Handler forms that load, each called with `payload` and answering `answer`. */
  handlers: [handler: string, payload: unknown, answer: unknown][];
  /** Handlers that cannot load from `codeDir`, each with the one line the shim writes to stderr. */
  brokenHandlers: [handler: string, codeDir: string, line: RegExp][];
  /** The name of the action that prints one line of `length` characters, then `short`. */
  longLine: string;
  /** The name of the action that starts a `sleep` process outliving the call and answers its pid. */
  spawnChild: string;
  /** A handler answering `hello <name>` to `{name}`. */
  hello: string;
  /** A call that touches `started`, then waits until `release` exists and answers `finished`. */
  slow(started: string, release: string): { handler: string; payload: unknown };
}

/**
 * What every runtime shim owes faas-local, whatever its language: the health route, the envelope
 * and its refusals, per-call output capture within the contracts' log limits, answers that are not
 * JSON, loading handlers and refusing those that cannot load, and the process lifecycle (SIGTERM
 * drain, a second signal, the lifeline, stale sockets, TCP). Each runtime's own spec adds what is
 * particular to it (error stacks, syntax errors, memory).
 */
export function describeShimContract(name: string, options: ShimContractOptions): void {
  const { shims, codeDir } = options;

  describe(`${name}: the shim contract`, () => {
    let shim: ShimProcess;
    beforeAll(async () => {
      shim = await shims.start({ codeDir, handler: options.calls });
    });
    const call = (payload: Record<string, unknown>) => shim.call({ context: {}, payload });

    it('answers its health check', async () => {
      expect(await shim.request('GET', '/_/health')).toEqual({ status: 200, body: '{"ready":true}' });
    });

    it('captures stdout and stderr of the call as lines, CRLF and the unterminated last one included, apart from its real stdout', async () => {
      const reply = await call({ action: 'logs' });
      expect(reply.payload).toBe('logged');
      expect(reply.context.logs).toEqual({
        stdout: ['to stdout', 'crlf', 'second', 'no newline'],
        stderr: ['to stderr', ...options.logsStderr],
      });
      expect(shim.output().stdout).not.toContain('to stdout');
    });

    it('sends output written outside any call to the real stdout', async () => {
      expect((await call({ action: options.late.action })).context.logs.stdout).toEqual([]);
      await waitFor(() => shim.output().stdout.includes(options.late.line), { what: `"${options.late.line}" on stdout` });
    });

    it.each(options.notJson)('answers a FunctionError for a return value that is not JSON (%s)', async (action, message) => {
      const reply = await call({ action });
      expect(reply.payload).toBeNull();
      expect(reply.context.error).toMatchObject({ type: 'FunctionError', message: expect.stringMatching(message) });
    });

    it.each(options.handlers)('loads handler %s', async (handler, payload, answer) => {
      const own = await shims.start({ codeDir, handler });
      expect((await own.call({ payload })).payload).toEqual(answer);
      expect(await own.stop()).toEqual({ code: 0, signal: null });
    });

    it.each(options.brokenHandlers)('exits with SHIM_EXIT_HANDLER_ERROR and one line for handler %s', async (handler, handlerDir, line) => {
      const exit = await shims.runToExit({ codeDir: handlerDir, handler });
      expect(exit.code).toBe(SHIM_EXIT_HANDLER_ERROR);
      expect(exit.stderr).toMatch(line);
      expect(exit.stderr.trimEnd().split('\n')).toHaveLength(1);
    });

    it('keeps the output of concurrent calls apart', async () => {
      const [a, b] = await Promise.all(['A', 'B'].map((tag) => call({ action: 'interleave', tag, lines: 5, expect: 2 })));
      // Both ran at once, writing in turns.
      expect(a.payload).toEqual({ mostAtOnce: 2 });
      for (const [reply, tag] of [
        [a, 'A'],
        [b, 'B'],
      ] as const) {
        expect(reply.context.logs.stdout).toEqual([0, 1, 2, 3, 4].map((i) => `${tag} out ${i}`));
        expect(reply.context.logs.stderr).toEqual([0, 1, 2, 3, 4].map((i) => `${tag} err ${i}`));
      }
    });

    it('keeps at most RUN_LOG_MAX_LINES lines, the last one saying how many were dropped', async () => {
      const exact = await call({ action: 'flood', lines: RUN_LOG_MAX_LINES });
      expect(exact.context.logs.stdout).toHaveLength(RUN_LOG_MAX_LINES);
      expect(exact.context.logs.stdout.at(-1)).toBe(`line ${RUN_LOG_MAX_LINES - 1}`);

      const lines = (await call({ action: 'flood', lines: RUN_LOG_MAX_LINES + 500 })).context.logs.stdout;
      expect(lines).toHaveLength(RUN_LOG_MAX_LINES);
      expect(lines[RUN_LOG_MAX_LINES - 2]).toBe(`line ${RUN_LOG_MAX_LINES - 2}`);
      expect(lines.at(-1)).toBe(`[501 more lines dropped: a run keeps at most ${RUN_LOG_MAX_LINES} lines per stream]`);
    });

    it('cuts lines longer than RUN_LOG_MAX_LINE_LENGTH', async () => {
      const reply = await call({ action: options.longLine, length: RUN_LOG_MAX_LINE_LENGTH + 100 });
      expect(reply.context.logs.stdout).toEqual(['x'.repeat(RUN_LOG_MAX_LINE_LENGTH), 'short']);
    });

    it('answers 400 to a body that is not an envelope and 404 to other routes, and reads chunked bodies', async () => {
      expect((await shim.request('POST', '/', '{not json')).status).toBe(400);
      expect((await shim.request('POST', '/', '[1, 2]')).status).toBe(400);
      expect((await shim.request('POST', '/', '{"context": 5}')).status).toBe(400);
      expect((await shim.request('GET', '/')).status).toBe(404);
      expect((await shim.request('POST', '/elsewhere', '{"payload": 1}')).status).toBe(404);
      const chunked = await shim.request('POST', '/', '{"payload":{"action":"echo","n":1}}', { chunked: true });
      expect(chunked.status).toBe(200);
      expect(JSON.parse(chunked.body)).toMatchObject({ payload: { payload: { n: 1 } } });
    });

    it('exits with 2 when told neither a socket nor a port', async () => {
      const exit = await shims.runToExit({ codeDir, handler: options.hello, env: { DISPATCH_SOCKET: '', PORT: '' } });
      expect(exit).toMatchObject({ code: 2, stderr: 'dispatch shim: set DISPATCH_SOCKET (a unix socket path) or PORT\n' });
    });

    it('on SIGTERM stops accepting, answers the call in flight, exits 0 and removes its socket', async () => {
      const started = shims.path('slow-started');
      const release = shims.path('slow-release');
      const slow = options.slow(started, release);
      const own = await shims.start({ codeDir, handler: slow.handler });
      const reply = own.call({ payload: slow.payload });
      await waitFor(() => existsSync(started), { what: 'the call to start' });

      own.child.kill('SIGTERM');
      const socket = (own.target as { socket: string }).socket;
      await waitFor(() => !existsSync(socket), { what: 'the shim to stop listening' });
      await expect(own.request('GET', '/_/health')).rejects.toThrow(/ENOENT|ECONNREFUSED/);
      expect(own.running).toBe(true);

      await writeFile(release, '');
      expect(await reply).toMatchObject({ payload: 'finished', context: { error: null } });
      expect(await own.exited).toEqual({ code: 0, signal: null });
      expect(existsSync(socket)).toBe(false);
    });

    it('ends at once on a second signal during the drain', async () => {
      const started = shims.path('held-started');
      const release = shims.path('held-release');
      const slow = options.slow(started, release);
      const own = await shims.start({ codeDir, handler: slow.handler });
      const outcome = own.call({ payload: slow.payload }).then(
        () => 'answered',
        () => 'cut off',
      );
      await waitFor(() => existsSync(started), { what: 'the call to start' });
      own.child.kill('SIGTERM');
      await waitFor(() => !existsSync((own.target as { socket: string }).socket), { what: 'the drain to begin' });
      own.child.kill('SIGTERM');
      expect(await own.exited).toEqual({ code: null, signal: 'SIGTERM' });
      expect(await outcome).toBe('cut off');
    });

    it('exits at once with SHIM_EXIT_LIFELINE_LOST when its lifeline closes, a call in flight or not', async () => {
      const started = shims.path('orphan-started');
      const slow = options.slow(started, shims.path('orphan-release'));
      const own = await shims.start({ codeDir, handler: slow.handler });
      const outcome = own.call({ payload: slow.payload }).then(
        () => 'answered',
        () => 'cut off',
      );
      await waitFor(() => existsSync(started), { what: 'the call to start' });
      own.cutLifeline();
      expect(await own.exited).toEqual({ code: SHIM_EXIT_LIFELINE_LOST, signal: null });
      expect(await outcome).toBe('cut off');
    });

    it('takes what the function started with it when its lifeline closes, leading its own process group as faas-local starts it', async () => {
      const own = await shims.start({ codeDir, handler: options.calls, ownGroup: true });
      const child = (await own.call({ payload: { action: options.spawnChild } })).payload as number;
      expect(isAlive(child)).toBe(true);
      own.cutLifeline();
      expect(await own.exited).toEqual({ code: SHIM_EXIT_LIFELINE_LOST, signal: null });
      await waitFor(() => !isAlive(child), { what: `the function's child process ${child} to end` });
    });

    it('exits with 2 when DISPATCH_LIFELINE_FD names a descriptor that is not open', async () => {
      const exit = await shims.runToExit({ codeDir, handler: options.hello, env: { DISPATCH_LIFELINE_FD: '987' } });
      expect(exit).toMatchObject({ code: 2, stderr: 'dispatch shim: DISPATCH_LIFELINE_FD=987 is not open\n' });
    });

    it('replaces a stale socket left by a killed shim', async () => {
      const socket = shims.path('stale.sock');
      const first = await shims.start({ codeDir, handler: options.hello, socket });
      await first.stop('SIGKILL');
      expect(existsSync(socket)).toBe(true);

      const second = await shims.start({ codeDir, handler: options.hello, socket });
      expect((await second.call({ payload: { name: 'again' } })).payload).toBe('hello again');
    });

    it('listens on TCP PORT when given no socket, and needs no lifeline there (a container)', async () => {
      const port = await freePort();
      const own = await shims.start({ codeDir, handler: options.hello, port, lifeline: false });
      expect((await own.call({ payload: { name: 'tcp' } })).payload).toBe('hello tcp');
    });
  });
}
