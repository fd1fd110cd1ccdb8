import { outcomeOfCall } from './run-outcome';

const limits = { timeoutSeconds: 3, memoryMb: 128 };
const reply = (body: unknown) => Buffer.from(JSON.stringify(body));

describe('what a provider answer means for a run', () => {
  it('succeeds with the payload and the logs of the runtime reply', () => {
    const out = outcomeOfCall({ status: 200, body: reply({ context: { logs: { stdout: ['a'], stderr: [] }, error: null }, payload: { x: 1 } }) }, limits);
    expect(out).toEqual({ status: 'SUCCEEDED', output: { x: 1 }, error: null, logs: { stdout: ['a'], stderr: [] } });
  });

  it('reads a NUL the function answered or printed as U+FFFD, as its record keeps it, whichever way the run was asked for', () => {
    const out = outcomeOfCall({ status: 200, body: reply({ context: { logs: { stdout: ['a\u0000b'], stderr: ['\\u0000 stays'] }, error: null }, payload: { text: 'x\u0000' } }) }, limits);
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: { text: 'x\ufffd' }, logs: { stdout: ['a\ufffdb'], stderr: ['\\u0000 stays'] } });
  });

  it('fails with the function’s own error, keeping its type and stack', () => {
    const out = outcomeOfCall({ status: 200, body: reply({ context: { logs: { stdout: [], stderr: ['e'] }, error: { type: 'FunctionError', message: 'boom', stacktrace: ['at x'] } }, payload: null }) }, limits);
    expect(out).toMatchObject({ status: 'FAILED', error: { type: 'FunctionError', message: 'boom', stacktrace: ['at x'] }, logs: { stderr: ['e'] } });
  });

  it('turns the provider’s verdicts into TIMED_OUT and typed failures that say what happened', () => {
    expect(outcomeOfCall({ status: 504, body: Buffer.alloc(0), failure: 'timeout' }, limits)).toMatchObject({ status: 'TIMED_OUT', error: { type: 'FunctionError', message: expect.stringContaining('3 s') } });
    expect(outcomeOfCall({ status: 502, body: Buffer.from('killed'), failure: 'memory' }, limits)).toMatchObject({ status: 'FAILED', error: { message: expect.stringContaining('128 MB') } });
    expect(outcomeOfCall({ status: 502, body: Buffer.from('exit 1'), failure: 'crash' }, limits)).toMatchObject({ status: 'FAILED', error: { type: 'FunctionError', message: expect.stringContaining('exit 1') } });
  });

  it('calls anything else a SystemError, never a success', () => {
    expect(outcomeOfCall({ status: 404, body: Buffer.from('no such function') }, limits)).toMatchObject({ status: 'FAILED', error: { type: 'SystemError', message: expect.stringContaining('404') } });
    expect(outcomeOfCall({ status: 200, body: Buffer.from('<html>') }, limits)).toMatchObject({ status: 'FAILED', error: { type: 'SystemError' } });
  });
});
