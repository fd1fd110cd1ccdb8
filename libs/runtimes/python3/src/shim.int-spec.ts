import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { RUN_LOG_MAX_LINE_LENGTH, RUN_LOG_MAX_LINES } from '@dispatch/contracts';
import { python3Runtime, python3ShimPath } from './index';
import { describeShimContract, ShimLauncher, type ShimProcess } from '@dispatch/testing';

const FIXTURES = path.join(__dirname, 'fixtures');
const FUNCTIONS = path.join(FIXTURES, 'functions');
const BROKEN = path.join(FIXTURES, 'broken');

describe('Python 3 runtime shim', () => {
  const shims = new ShimLauncher(python3Runtime);
  let shim: ShimProcess;

  beforeAll(async () => {
    await shims.setUp();
    shim = await shims.start({ codeDir: FUNCTIONS, handler: 'calls.handle' });
  });

  afterAll(() => shims.tearDown());

  const call = (payload: Record<string, unknown>, context: Record<string, unknown> = {}) => shim.call({ context, payload });

  it('runs the shim with python3, or DISPATCH_PYTHON when set', () => {
    const saved = process.env.DISPATCH_PYTHON;
    try {
      delete process.env.DISPATCH_PYTHON;
      expect(python3Runtime.command({ memoryLimitMb: 64 })).toEqual({ command: 'python3', args: ['-u', '-B', python3ShimPath()] });
      process.env.DISPATCH_PYTHON = '/opt/python/bin/python3.11';
      expect(python3Runtime.command({}).command).toBe('/opt/python/bin/python3.11');
    } finally {
      if (saved === undefined) delete process.env.DISPATCH_PYTHON;
      else process.env.DISPATCH_PYTHON = saved;
    }
  });

  it('finds the real interpreter behind python3 (a version manager shim resolved), or says what to install', async () => {
    const interpreter = await python3Runtime.interpreter!(process.env);
    expect(path.isAbsolute(interpreter)).toBe(true);
    expect(interpreter).not.toMatch(/\/shims\//);
    expect(python3Runtime.command({ interpreter }).command).toBe(interpreter);
    await expect(python3Runtime.interpreter!({ ...process.env, DISPATCH_PYTHON: '/nonexistent/python3' })).rejects.toThrow(
      /^cannot find the Python interpreter \(\/nonexistent\/python3\): .*; install Python 3 or set DISPATCH_PYTHON$/,
    );
  });

  it('hard-codes the log limits of the contracts', async () => {
    const source = await readFile(path.join(path.dirname(python3ShimPath()), 'capture.py'), 'utf8');
    expect(source).toMatch(new RegExp(`^MAX_LINES = ${RUN_LOG_MAX_LINES}$`, 'm'));
    expect(source).toMatch(new RegExp(`^MAX_LINE_LENGTH = ${RUN_LOG_MAX_LINE_LENGTH}$`, 'm'));
  });

  describe('calls', () => {
    it('passes the payload and the context, secrets included, to the function as given', async () => {
      const context = { runId: 'r1', secrets: { token: 's3cret' }, serviceBindings: { db: { url: 'postgres://x' } } };
      expect(await call({ action: 'echo', list: [1, 'two', { three: 3 }] }, context)).toEqual({
        context: { logs: { stdout: [], stderr: [] }, error: null },
        payload: { payload: { action: 'echo', list: [1, 'two', { three: 3 }] }, secrets: { token: 's3cret' } },
      });
      expect((await call({ action: 'context' }, context)).payload).toEqual(context);
      expect((await call({ action: 'nothing' })).payload).toBeNull();
    });

    it('turns a raised exception into a FunctionError with its message and the traceback of the user code', async () => {
      const reply = await call({ action: 'fail' });
      expect(reply.payload).toBeNull();
      expect(reply.context.error).toMatchObject({ type: 'FunctionError', message: 'boom' });
      const stack = reply.context.error!.stacktrace!;
      expect(stack[0]).toBe('Traceback (most recent call last):');
      expect(stack.some((line) => line.includes('calls.py", line'))).toBe(true);
      expect(stack.some((line) => line.includes('dispatch_runtime'))).toBe(false);
      expect(stack.at(-1)).toBe('ValueError: boom');
      expect((await call({ action: 'key_error' })).context.error).toMatchObject({ message: "'missing'" });
    });

    it('fails a call that calls sys.exit, and keeps serving', async () => {
      expect((await call({ action: 'exit_call' })).context.error).toMatchObject({
        type: 'FunctionError',
        message: 'the function called sys.exit(4)',
      });
      expect((await call({ action: 'echo' })).context.error).toBeNull();
    });
  });

  describe('handlers', () => {
    it('runs an async def function to its end, errors included', async () => {
      const own = await shims.start({ codeDir: FUNCTIONS, handler: 'aio.fail' });
      const { error } = (await own.call({ payload: null })).context;
      expect(error).toMatchObject({ type: 'FunctionError', message: 'async boom' });
      expect(error!.stacktrace!.at(-1)).toBe('LookupError: async boom');
      expect(error!.stacktrace!.some((line) => line.includes('aio.py", line'))).toBe(true);
      expect(error!.stacktrace!.some((line) => line.includes('dispatch_runtime'))).toBe(false);
    });
  });

  describe('lifecycle', () => {
    it('fails a call that exceeds DISPATCH_MEMORY_LIMIT_MB, and keeps serving', async () => {
      const own = await shims.start({ codeDir: FUNCTIONS, handler: 'calls.handle', env: { DISPATCH_MEMORY_LIMIT_MB: '64' } });
      const reply = await own.call({ payload: { action: 'allocate', mb: 256 } });
      expect(reply.context.error).toEqual({ type: 'FunctionError', message: 'memory limit of 64 MB exceeded', stacktrace: [] });
      expect((await own.call({ payload: { action: 'allocate', mb: 16 } })).payload).toBe(16 * 1024 * 1024);
    });
  });

  describeShimContract('Python 3', {
    shims,
    codeDir: FUNCTIONS,
    calls: 'calls.handle',
    longLine: 'long_line',
    spawnChild: 'spawn_child',
    hello: 'hello.py',
    slow: (started, release) => ({ handler: 'calls.handle', payload: { action: 'slow', started, release } }),
    logsStderr: ['WARNING logged'],
    late: { action: 'background', line: 'written by a thread of the function' },
    notJson: [
      ['a_set', /not JSON-serialisable: Object of type set is not JSON serializable/],
      ['nan', /not JSON-serialisable: Out of range float values are not JSON compliant/],
      ['circular', /not JSON-serialisable: Circular reference detected/],
    ],
    handlers: [
      ['hello.py', { name: 'ada' }, 'hello ada'],
      ['hello.shout', 'quiet', 'QUIET'],
      ['pkg/mod.handle', 1, { 'pkg.mod': 1 }],
      ['pkg.mod.handle', 2, { 'pkg.mod': 2 }],
      ['aio.handle', 3, { async: 3 }],
    ],
    brokenHandlers: [
      ['missing.handle', BROKEN, /^handler error: missing\.py not found in the function's code/],
      ['no_handle.handle', BROKEN, /^handler error: no_handle has no function handle; define def handle\(context, payload\):/],
      ['no_handle.handle_count', BROKEN, /^handler error: no_handle\.handle_count is a int, not a function/],
      ['syntax_error.handle', BROKEN, /^handler error: syntax error in syntax_error\.py line 1: expected ':'/],
      ['import_error.handle', BROKEN, /^handler error: importing import_error failed: No module named 'module_that_is_not_installed'/],
      ['raises.handle', BROKEN, /^handler error: importing raises raised RuntimeError: cannot start/],
      [
        'json.handle',
        path.join(FIXTURES, 'shadow'),
        /^handler error: module json resolves to .*, not to the function's code; rename json\.py/,
      ],
      ['not-a-module.handle', FUNCTIONS, /^handler error: handler 'not-a-module\.handle' is not <module>\.<function>/],
    ],
  });
});
