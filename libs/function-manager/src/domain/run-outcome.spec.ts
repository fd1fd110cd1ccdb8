import { outcomeOf } from './run-outcome';

const limits = { timeoutSeconds: 3, memoryMb: 128 };

describe('what the answer to a call means for a run', () => {
  it('succeeds with the payload and the logs of the runtime reply', () => {
    const out = outcomeOf({ kind: 'replied', reply: { context: { logs: { stdout: ['a'], stderr: [] }, error: null }, payload: { x: 1 } } }, limits);
    expect(out).toEqual({ status: 'SUCCEEDED', output: { x: 1 }, error: null, logs: { stdout: ['a'], stderr: [] } });
  });

  it('fails with the function’s own error, keeping its type and stack', () => {
    const out = outcomeOf({ kind: 'replied', reply: { context: { logs: { stdout: [], stderr: ['e'] }, error: { type: 'FunctionError', message: 'boom', stacktrace: ['at x'] } }, payload: null } }, limits);
    expect(out).toMatchObject({ status: 'FAILED', error: { type: 'FunctionError', message: 'boom', stacktrace: ['at x'] }, logs: { stderr: ['e'] } });
  });

  it('keeps an InputError the runtime reports as the caller’s fault, and calls an unknown error type a FunctionError', () => {
    const input = outcomeOf({ kind: 'replied', reply: { context: { logs: { stdout: [], stderr: [] }, error: { type: 'InputError', message: 'name is required' } }, payload: null } }, limits);
    expect(input).toEqual({ status: 'FAILED', output: null, error: { type: 'InputError', message: 'name is required' }, logs: { stdout: [], stderr: [] } });
    const odd = outcomeOf({ kind: 'replied', reply: { context: { logs: { stdout: 'not a list' }, error: { type: 'Oops', message: 7 } } } }, limits);
    expect(odd).toEqual({ status: 'FAILED', output: null, error: { type: 'FunctionError', message: '7' }, logs: { stdout: [], stderr: [] } });
  });

  it('turns the provider’s verdicts into TIMED_OUT and typed failures that say what happened', () => {
    expect(outcomeOf({ kind: 'timeout', detail: '' }, limits)).toEqual({
      status: 'TIMED_OUT',
      output: null,
      error: { type: 'FunctionError', message: 'the function ran longer than its timeout of 3 s and was stopped' },
      logs: { stdout: [], stderr: [] },
    });
    expect(outcomeOf({ kind: 'memory', detail: 'killed' }, limits)).toMatchObject({
      status: 'FAILED',
      error: { type: 'FunctionError', message: 'the function used more than its memory limit of 128 MB and was killed; raise memoryMb or use less' },
    });
    expect(outcomeOf({ kind: 'crash', detail: 'exit 1' }, limits)).toMatchObject({
      status: 'FAILED',
      error: { type: 'FunctionError', message: "the function's process exited during the run: exit 1" },
    });
  });

  it('calls the platform’s failures SystemErrors, never the function’s', () => {
    expect(outcomeOf({ kind: 'unavailable', detail: 'its worker exited with code 3' }, limits)).toMatchObject({
      status: 'FAILED',
      error: { type: 'SystemError', message: 'the function provider could not start the function: its worker exited with code 3' },
    });
    expect(outcomeOf({ kind: 'error', detail: 'the function provider failed: not reachable' }, limits)).toMatchObject({
      status: 'FAILED',
      error: { type: 'SystemError', message: 'the function provider failed: not reachable' },
    });
    expect(outcomeOf({ kind: 'replied', reply: null }, limits)).toMatchObject({ status: 'FAILED', output: null, error: { type: 'SystemError' } });
  });
});
