import { ErrorCode } from '@dispatch/contracts';
import { ProviderTimeoutError } from '@dispatch/openfaas-client';
import { DispatchError } from '@dispatch/platform';
import { outcomeOf } from '../run/run-outcome';
import { answerOf, answerOfError } from './openfaas-answer';

const limits = { timeoutSeconds: 3, memoryMb: 128 };
const reply = (body: unknown) => Buffer.from(JSON.stringify(body));

describe('what an OpenFaaS answer to a call means', () => {
  it('reads a 200 as the runtime’s reply, whatever the function did', () => {
    const body = { context: { logs: { stdout: ['a'], stderr: [] }, error: { type: 'FunctionError', message: 'boom' } }, payload: null };
    expect(answerOf({ status: 200, body: reply(body) })).toEqual({ kind: 'replied', reply: body });
  });

  it('reads a NUL the function answered or printed as U+FFFD, as its record keeps it, whichever way the run was asked for', () => {
    const answer = answerOf({
      status: 200,
      body: reply({ context: { logs: { stdout: ['a\u0000b'], stderr: ['\\u0000 stays'] }, error: null }, payload: { text: 'x\u0000' } }),
    });
    expect(answer).toEqual({
      kind: 'replied',
      reply: { context: { logs: { stdout: ['a\ufffdb'], stderr: ['\\u0000 stays'] }, error: null }, payload: { text: 'x\ufffd' } },
    });
    expect(outcomeOf(answer, limits)).toMatchObject({
      status: 'SUCCEEDED',
      output: { text: 'x\ufffd' },
      logs: { stdout: ['a\ufffdb'], stderr: ['\\u0000 stays'] },
    });
  });

  it('takes the provider’s verdict from its failure header, with what it said', () => {
    expect(answerOf({ status: 504, body: Buffer.alloc(0), failure: 'timeout' })).toEqual({ kind: 'timeout', detail: '(no message)' });
    expect(answerOf({ status: 502, body: Buffer.from('killed\n'), failure: 'memory' })).toEqual({ kind: 'memory', detail: 'killed' });
    expect(answerOf({ status: 502, body: Buffer.from('exit 1'), failure: 'crash' })).toEqual({ kind: 'crash', detail: 'exit 1' });
    expect(answerOf({ status: 503, body: Buffer.from('cannot start'), failure: 'unavailable' })).toEqual({
      kind: 'unavailable',
      detail: 'cannot start',
    });
    expect(outcomeOf(answerOf({ status: 504, body: Buffer.alloc(0), failure: 'timeout' }), limits)).toMatchObject({
      status: 'TIMED_OUT',
      error: { type: 'FunctionError', message: expect.stringContaining('3 s') },
    });
    expect(outcomeOf(answerOf({ status: 502, body: Buffer.from('killed'), failure: 'memory' }), limits)).toMatchObject({
      status: 'FAILED',
      error: { message: expect.stringContaining('128 MB') },
    });
    expect(outcomeOf(answerOf({ status: 502, body: Buffer.from('exit 1'), failure: 'crash' }), limits)).toMatchObject({
      status: 'FAILED',
      error: { type: 'FunctionError', message: expect.stringContaining('exit 1') },
    });
  });

  it('reads a 504 without a verdict as the gateway’s own timeout', () => {
    expect(answerOf({ status: 504, body: Buffer.from('upstream timed out') })).toEqual({ kind: 'timeout', detail: 'upstream timed out' });
  });

  it('calls anything else a failure of the provider, never a success, and keeps at most 512 bytes of what it said', () => {
    expect(answerOf({ status: 404, body: Buffer.from('no such function') })).toEqual({
      kind: 'error',
      detail: 'the function provider answered 404: no such function',
    });
    expect(answerOf({ status: 200, body: Buffer.from('<html>') })).toEqual({
      kind: 'error',
      detail: "the function's runtime answered something that is not JSON: <html>",
    });
    expect(answerOf({ status: 500, body: Buffer.from('x'.repeat(2000)) })).toEqual({
      kind: 'error',
      detail: `the function provider answered 500: ${'x'.repeat(512)}`,
    });
    expect(outcomeOf(answerOf({ status: 404, body: Buffer.from('no such function') }), limits)).toMatchObject({
      status: 'FAILED',
      error: { type: 'SystemError', message: expect.stringContaining('404') },
    });
    expect(outcomeOf(answerOf({ status: 200, body: Buffer.from('<html>') }), limits)).toMatchObject({
      status: 'FAILED',
      error: { type: 'SystemError' },
    });
  });

  it('reads a call that got no answer in time as a timeout, and any other error as the provider failing', () => {
    expect(answerOfError(new ProviderTimeoutError('did not answer within 4000 ms', 4000, 'http://gateway'))).toEqual({
      kind: 'timeout',
      detail: 'did not answer within 4000 ms',
    });
    const refused = new DispatchError(ErrorCode.SERVICE_UNAVAILABLE, 'function provider at http://gateway is not reachable (ECONNREFUSED)');
    expect(answerOfError(refused)).toEqual({
      kind: 'error',
      detail: 'the function provider failed: function provider at http://gateway is not reachable (ECONNREFUSED)',
    });
  });
});
