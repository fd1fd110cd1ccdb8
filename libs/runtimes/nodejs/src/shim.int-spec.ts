import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SHIM_EXIT_HANDLER_ERROR } from '@dispatch/contracts';
import { nodejsRuntime, nodejsShimPath } from './index';
import { describeShimContract, ShimLauncher, type ShimProcess } from '@dispatch/testing';

const FUNCTIONS = path.join(__dirname, 'fixtures/functions');

/** The shim runs compiled: fail fast, and say how to fix it, when dist/ lags behind the sources. */
function assertBuilt(): void {
  const built = path.dirname(nodejsShimPath());
  for (const name of readdirSync(__dirname)) {
    if (!name.endsWith('.ts') || name.includes('.spec.') || name.includes('.int-spec.')) continue;
    const js = path.join(built, name.replace(/\.ts$/, '.js'));
    if (!existsSync(js) || statSync(js).mtimeMs < statSync(path.join(__dirname, name)).mtimeMs) {
      throw new Error(`${js} is older than its source: run \`node tools/build.mjs libs/runtimes/nodejs\` (or npm run build)`);
    }
  }
}

describe('Node.js runtime shim', () => {
  const shims = new ShimLauncher(nodejsRuntime);
  let shim: ShimProcess;

  beforeAll(async () => {
    assertBuilt();
    await shims.setUp();
    shim = await shims.start({ codeDir: FUNCTIONS, handler: 'calls.js' });
  });

  afterAll(() => shims.tearDown());

  const call = (payload: Record<string, unknown>, context: Record<string, unknown> = {}) => shim.call({ context, payload });

  it('runs the compiled shim with this Node, its heap capped at the memory limit', () => {
    expect(nodejsRuntime.command({ memoryLimitMb: 128 })).toEqual({
      command: process.execPath,
      args: ['--max-old-space-size=128', path.resolve(__dirname, '../../../../dist/libs/runtimes/nodejs/src/shim.js')],
    });
    expect(nodejsRuntime.command({}).args).toHaveLength(1);
  });

  describe('calls', () => {
    it('passes the payload and the context, secrets included, to the function as given', async () => {
      const context = {
        runId: 'r1',
        functionName: 'calls',
        secrets: { token: 's3cret' },
        httpContext: { method: 'GET', path: '/x', headers: {}, query: {} },
      };
      const echo = await call({ action: 'echo', list: [1, 'two', { three: 3 }] }, context);
      expect(echo).toEqual({
        context: { logs: { stdout: [], stderr: [] }, error: null },
        payload: { payload: { action: 'echo', list: [1, 'two', { three: 3 }] }, secrets: { token: 's3cret' } },
      });
      expect((await call({ action: 'context' }, context)).payload).toEqual(context);
    });

    it('waits for a returned promise, and answers null for a function that returns nothing', async () => {
      expect((await call({ action: 'later', value: 7 })).payload).toEqual({ later: 7 });
      expect(await call({ action: 'nothing' })).toEqual({ context: { logs: { stdout: [], stderr: [] }, error: null }, payload: null });
    });

    it('turns a thrown error into a FunctionError with its message and the stack of the user code only', async () => {
      const reply = await call({ action: 'fail' });
      expect(reply.payload).toBeNull();
      expect(reply.context.error).toMatchObject({ type: 'FunctionError', message: 'boom' });
      const stack = reply.context.error!.stacktrace!;
      expect(stack[0]).toBe('Error: boom');
      expect(stack.some((line) => line.includes('calls.js:'))).toBe(true);
      expect(stack.some((line) => line.includes(path.join('dist', 'libs', 'runtimes')))).toBe(false);
    });

    it('fails a call whose promise rejects, or that throws a value that is not an Error', async () => {
      expect((await call({ action: 'reject' })).context.error).toMatchObject({ type: 'FunctionError', message: 'async boom' });
      expect((await call({ action: 'throwString' })).context.error).toEqual({
        type: 'FunctionError',
        message: 'a plain string',
        stacktrace: [],
      });
    });

    it('fails the call when its code throws in a timer, and keeps serving', async () => {
      const reply = await call({ action: 'throwInTimer' });
      expect(reply.context.error).toMatchObject({ type: 'FunctionError', message: 'timer boom' });
      expect((await call({ action: 'echo' })).context.error).toBeNull();
    });
  });

  describe('handlers', () => {
    it('reports where a syntax error is', async () => {
      const codeDir = shims.path('broken');
      await mkdir(codeDir);
      await writeFile(path.join(codeDir, 'index.js'), 'module.exports = function (context, payload) {\n  return {;\n};\n');
      const exit = await shims.runToExit({ codeDir, handler: 'index.js' });
      expect(exit.code).toBe(SHIM_EXIT_HANDLER_ERROR);
      expect(exit.stderr).toMatch(
        /^handler error: cannot load index\.js: SyntaxError: Unexpected token ';' at index\.js:2; fix the function's code\n$/,
      );
    });
  });

  describeShimContract('Node.js', {
    shims,
    codeDir: FUNCTIONS,
    calls: 'calls.js',
    longLine: 'longLine',
    spawnChild: 'spawnChild',
    hello: 'lib/hello.js',
    slow: (started, release) => ({ handler: 'esm.mjs:slow', payload: { started, release } }),
    logsStderr: ['bytes'],
    late: { action: 'late', line: 'written after the reply' },
    notJson: [
      ['circular', /not JSON-serialisable: Converting circular structure to JSON/],
      ['bigint', /not JSON-serialisable: Do not know how to serialize a BigInt/],
      ['aFunction', /returned a function, which is not JSON-serialisable/],
    ],
    handlers: [
      ['lib/hello.js', { name: 'ada' }, 'hello ada'],
      ['lib/hello', { name: 'bob' }, 'hello bob'],
      ['calls.js:named', 5, { named: 5 }],
      ['esm.mjs', 'x', { esm: 'x' }],
      ['esm.mjs:shout', 'quiet', 'QUIET'],
    ],
    brokenHandlers: [
      ['missing.js', FUNCTIONS, /^handler error: missing\.js not found in the function's code/],
      ['calls.js:missing', FUNCTIONS, /^handler error: calls\.js has no export named "missing"/],
      [
        'not-a-function.js',
        FUNCTIONS,
        /^handler error: not-a-function\.js exports an object, not a function; set module\.exports = function/,
      ],
      ['not-a-function.js:handler', FUNCTIONS, /^handler error: export "handler" of not-a-function\.js is a number, not a function/],
      ['load-fails.js', FUNCTIONS, /^handler error: cannot load load-fails\.js: ReferenceError: missingVariable is not defined/],
      ['../outside.js', FUNCTIONS, /^handler error: handler "\.\.\/outside\.js" points outside the function's code/],
    ],
  });
});
