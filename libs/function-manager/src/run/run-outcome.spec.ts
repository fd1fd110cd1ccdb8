import type { CallAnswer } from '../provider/function-provider';
import { outcomeOf } from './run-outcome';

const limits = { timeoutSeconds: 3, memoryMb: 128 };

describe('what the answer to a call means for a run', () => {
  it('succeeds with the payload and the logs of the runtime reply', () => {
    const out = outcomeOf(
      { kind: 'replied', reply: { context: { logs: { stdout: ['a'], stderr: [] }, error: null }, payload: { x: 1 } } },
      limits,
    );
    expect(out).toEqual({ status: 'SUCCEEDED', output: { x: 1 }, error: null, logs: { stdout: ['a'], stderr: [] } });
  });

  it('fails with the function’s own error, keeping its type and stack', () => {
    const out = outcomeOf(
      {
        kind: 'replied',
        reply: {
          context: { logs: { stdout: [], stderr: ['e'] }, error: { type: 'FunctionError', message: 'boom', stacktrace: ['at x'] } },
          payload: null,
        },
      },
      limits,
    );
    expect(out).toMatchObject({
      status: 'FAILED',
      error: { type: 'FunctionError', message: 'boom', stacktrace: ['at x'] },
      logs: { stderr: ['e'] },
    });
  });

  it('keeps an InputError the runtime reports as the caller’s fault, and calls an unknown error type a FunctionError', () => {
    const input = outcomeOf(
      {
        kind: 'replied',
        reply: { context: { logs: { stdout: [], stderr: [] }, error: { type: 'InputError', message: 'name is required' } }, payload: null },
      },
      limits,
    );
    expect(input).toEqual({
      status: 'FAILED',
      output: null,
      error: { type: 'InputError', message: 'name is required' },
      logs: { stdout: [], stderr: [] },
    });
    const odd = outcomeOf(
      { kind: 'replied', reply: { context: { logs: { stdout: 'not a list' }, error: { type: 'Oops', message: 7 } } } },
      limits,
    );
    expect(odd).toEqual({
      status: 'FAILED',
      output: null,
      error: { type: 'FunctionError', message: '7' },
      logs: { stdout: [], stderr: [] },
    });
  });

  it.each<[string, CallAnswer, string, string, string]>([
    [
      'the function’s: stopped at its timeout',
      { kind: 'timeout', detail: '' },
      'TIMED_OUT',
      'FunctionError',
      'the function ran longer than its timeout of 3 s and was stopped',
    ],
    [
      'the function’s: over its memory',
      { kind: 'memory', detail: 'killed' },
      'FAILED',
      'FunctionError',
      'the function used more than its memory limit of 128 MB and was killed; raise memoryMb or use less',
    ],
    [
      'the function’s: its process exited',
      { kind: 'crash', detail: 'exit 1' },
      'FAILED',
      'FunctionError',
      "the function's process exited during the run: exit 1",
    ],
    [
      'the platform’s: it could not start',
      { kind: 'unavailable', detail: 'exit 3' },
      'FAILED',
      'SystemError',
      'the function provider could not start the function: exit 3',
    ],
    [
      'the platform’s: the provider failed',
      { kind: 'error', detail: 'the function provider failed: not reachable' },
      'FAILED',
      'SystemError',
      'the function provider failed: not reachable',
    ],
  ])('turns a provider’s verdict into a typed failure that says what happened, %s', (_whose, answer, status, type, message) => {
    expect(outcomeOf(answer, limits)).toEqual({ status, output: null, error: { type, message }, logs: { stdout: [], stderr: [] } });
  });

  it('calls a reply that is JSON null a SystemError, never a success', () => {
    expect(outcomeOf({ kind: 'replied', reply: null }, limits)).toMatchObject({
      status: 'FAILED',
      output: null,
      error: { type: 'SystemError' },
    });
  });
});
