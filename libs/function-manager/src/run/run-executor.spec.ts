import type { Bus } from '@dispatch/bus';
import { ErrorCode, RunErrorType } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';
import { compileSchema } from '../function/json-schemas';
import { failure, InMemoryProvider, replied, threw } from '../provider/test-support/in-memory-provider';
import type { ActiveFunction } from './active-function';
import { PROVIDER_GRACE_MS, RunExecutor } from './run-executor';
import { ServiceBindingInjector } from './service-binding-injector';
import { activeFunction, specOf } from './test-support/active-functions';

/** The executor over the in-memory provider, with identity-manager's secrets answered by `secrets`. */
function executorWith(secrets: (names: string[]) => Promise<Record<string, string>> = async () => ({})) {
  const fn = activeFunction('hello', { spec: specOf({ timeoutSeconds: 3, memoryMb: 128 }) });
  const provider = new InMemoryProvider().hold({
    providerName: fn.providerName!,
    image: 'local/abc',
    org: fn.org,
    functionName: fn.name,
    version: 1,
    spec: fn.spec,
  });
  const request = jest.fn(async (_subject: string, body: { names: string[] }) => ({ secrets: await secrets(body.names) }));
  const executor = new RunExecutor(provider, { request } as unknown as Bus, new ServiceBindingInjector());
  return { fn, provider, request, executor };
}

const run = (input: unknown = { name: 'Ada' }, secrets: string[] = []) => ({ runId: 'run-1', input, secrets });

describe('RunExecutor: a run from its input to its outcome', () => {
  it('calls the serving version with the run’s envelope, within its timeout plus the provider’s grace, and succeeds with its reply', async () => {
    const { fn, provider, executor } = executorWith(async () => ({ API_KEY: 'k' }));
    fn.spec.secrets = ['api'];
    provider.answerNext(replied({ greeting: 'hi Ada' }, { stdout: ['said hi'], stderr: [] }));
    const before = Date.now();
    const outcome = await executor.execute(fn, { ...run(), event: { type: 'x' } });
    expect(outcome).toEqual({
      status: 'SUCCEEDED',
      output: { greeting: 'hi Ada' },
      error: null,
      logs: { stdout: ['said hi'], stderr: [] },
    });
    const [call] = provider.calls;
    expect(call.providerName).toBe('hello-v1');
    expect(call.timeoutMs).toBe(3000 + PROVIDER_GRACE_MS);
    expect(call.envelope).toEqual({
      context: {
        runId: 'run-1',
        functionName: 'hello',
        org: 'acme',
        deadline: expect.any(Number),
        secrets: { API_KEY: 'k' },
        serviceBindings: {},
        event: { type: 'x' },
      },
      payload: { name: 'Ada' },
    });
    expect(call.envelope.context.deadline).toBeGreaterThanOrEqual(before + 3000);
  });

  it('records a call the provider stopped at the timeout as TIMED_OUT, the function’s fault', async () => {
    const { fn, provider, executor } = executorWith();
    provider.answerNext(failure('timeout'));
    expect(await executor.execute(fn, run())).toEqual({
      status: 'TIMED_OUT',
      output: null,
      error: { type: RunErrorType.FunctionError, message: 'the function ran longer than its timeout of 3 s and was stopped' },
      logs: { stdout: [], stderr: [] },
    });
  });

  it.each([
    [
      'went over its memory limit, saying which limit to raise',
      failure('memory', 'memory limit of 128 MiB exceeded'),
      'the function used more than its memory limit of 128 MB and was killed; raise memoryMb or use less',
    ],
    [
      'exited during it, with what the provider saw',
      failure('crash', 'function hello: its process exited with code 1 during the call'),
      "the function's process exited during the run: function hello: its process exited with code 1 during the call",
    ],
  ])('fails a run whose process %s, as the function’s fault', async (_what, answer, message) => {
    const { fn, provider, executor } = executorWith();
    provider.answerNext(answer);
    expect(await executor.execute(fn, run())).toEqual({
      status: 'FAILED',
      output: null,
      error: { type: RunErrorType.FunctionError, message },
      logs: { stdout: [], stderr: [] },
    });
  });

  it('fails a run the provider could not start, or could not be asked for, as the platform’s fault', async () => {
    const { fn, provider, executor } = executorWith();
    provider.answerNext(failure('unavailable', 'function hello cannot start: its worker exited with code 3'));
    expect(await executor.execute(fn, run())).toMatchObject({
      status: 'FAILED',
      error: {
        type: RunErrorType.SystemError,
        message: 'the function provider could not start the function: function hello cannot start: its worker exited with code 3',
      },
    });
    provider.unreachable();
    expect(await executor.execute(fn, run())).toMatchObject({
      status: 'FAILED',
      error: { type: RunErrorType.SystemError, message: 'the function provider failed: function provider is not reachable (ECONNREFUSED)' },
    });
    provider.reachable();
    expect(await executor.execute({ ...fn, providerName: 'gone-v1' }, run())).toMatchObject({
      status: 'FAILED',
      error: { type: RunErrorType.SystemError, message: expect.stringContaining('404') },
    });
  });

  it('keeps the function’s own error apart from an input the runtime refused, with their logs', async () => {
    const { fn, provider, executor } = executorWith();
    provider.answerNext(
      threw(RunErrorType.FunctionError, 'boom', { stdout: [], stderr: ['trace'] }),
      threw(RunErrorType.InputError, 'name is required'),
    );
    expect(await executor.execute(fn, run())).toEqual({
      status: 'FAILED',
      output: null,
      error: { type: RunErrorType.FunctionError, message: 'boom', stacktrace: ['at handler'] },
      logs: { stdout: [], stderr: ['trace'] },
    });
    expect(await executor.execute(fn, run())).toMatchObject({
      status: 'FAILED',
      error: { type: RunErrorType.InputError, message: 'name is required' },
    });
  });

  it('fails input that breaks the inputSchema as an InputError without calling the function', async () => {
    const { fn, provider, executor } = executorWith();
    const strict: ActiveFunction = { ...fn, validateInput: compileSchema('inputSchema', { type: 'object', required: ['name'] }) };
    expect(await executor.execute(strict, run({}))).toMatchObject({
      status: 'FAILED',
      error: {
        type: RunErrorType.InputError,
        message: "input does not match the function's inputSchema: (root) must have required property 'name'",
      },
    });
    expect(provider.calls).toHaveLength(0);
  });

  it('fails output that breaks the outputSchema as a FunctionError, keeping the output and logs', async () => {
    const { fn, provider, executor } = executorWith();
    const strict: ActiveFunction = { ...fn, validateOutput: compileSchema('outputSchema', { type: 'string' }) };
    provider.answerNext(replied(42, { stdout: ['out'], stderr: [] }));
    expect(await executor.execute(strict, run())).toEqual({
      status: 'FAILED',
      output: 42,
      error: { type: RunErrorType.FunctionError, message: "output does not match the function's outputSchema: (root) must be string" },
      logs: { stdout: ['out'], stderr: [] },
    });
  });

  it('merges the run’s secrets with the function’s, and tells a missing secret (InputError) from identity-manager failing (SystemError)', async () => {
    const { fn, provider, request, executor } = executorWith(async (names) => {
      if (names.includes('missing')) throw new DispatchError(ErrorCode.NOT_FOUND, 'secret "missing" not found');
      if (names.includes('flaky')) throw new Error('request timed out');
      return Object.fromEntries(names.map((n) => [n, 'v']));
    });
    fn.spec.secrets = ['db', 'api'];
    await executor.execute(fn, run({}, ['api', 'extra']));
    expect(request).toHaveBeenCalledWith('identity.secret.resolve.v1', { org: 'acme', names: ['db', 'api', 'extra'] });
    expect(provider.calls[0].envelope.context.secrets).toEqual({ db: 'v', api: 'v', extra: 'v' });
    expect(await executor.execute(fn, run({}, ['missing']))).toMatchObject({
      status: 'FAILED',
      error: {
        type: RunErrorType.InputError,
        message: `secret "missing" not found; create it or remove it from the function's or the run's secrets`,
      },
    });
    expect(await executor.execute(fn, run({}, ['flaky']))).toMatchObject({
      status: 'FAILED',
      error: { type: RunErrorType.SystemError, message: 'secrets could not be read from identity-manager: request timed out' },
    });
    expect(provider.calls).toHaveLength(1);
  });

  it('asks identity-manager nothing for a function and run without secrets, and fails a function bound to services as an InputError', async () => {
    const { fn, provider, request, executor } = executorWith();
    await executor.execute(fn, run());
    expect(request).not.toHaveBeenCalled();
    const bound = { ...fn, spec: { ...fn.spec, services: ['db'] } };
    expect(await executor.execute(bound, run())).toMatchObject({
      status: 'FAILED',
      error: { type: RunErrorType.InputError, message: expect.stringContaining('no service catalog') },
    });
    expect(provider.calls).toHaveLength(1);
  });
});
