import { encodePayload, functionError, NotSerialisableError } from './invoke';

describe('encodePayload', () => {
  it('encodes JSON values, and nothing as null', () => {
    expect(encodePayload({ a: [1, 'b', null] })).toBe('{"a":[1,"b",null]}');
    expect(encodePayload('text')).toBe('"text"');
    expect(encodePayload(undefined)).toBe('null');
  });

  it('refuses what JSON cannot carry', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => encodePayload(loop)).toThrow(NotSerialisableError);
    expect(() => encodePayload(1n)).toThrow(/not JSON-serialisable: Do not know how to serialize a BigInt/);
    expect(() => encodePayload(Symbol('s'))).toThrow(/returned a symbol/);
  });
});

describe('functionError', () => {
  it('keeps the message and the stack down to the first frame of the shim', () => {
    const err = new Error('boom');
    err.stack = [
      'Error: boom',
      '    at fn (/code/a.js:2:9)',
      '    at call (/shim/invoke.js:30:5)',
      '    at new Promise (<anonymous>)',
    ].join('\n');
    expect(functionError(err, '/shim/')).toEqual({
      type: 'FunctionError',
      message: 'boom',
      stacktrace: ['Error: boom', '    at fn (/code/a.js:2:9)'],
    });
  });

  it('describes thrown values that are not errors', () => {
    expect(functionError('plain', '/shim/')).toEqual({ type: 'FunctionError', message: 'plain', stacktrace: [] });
    expect(functionError({ code: 7 }, '/shim/').message).toBe('{ code: 7 }');
    expect(functionError(new NotSerialisableError('nope'), '/shim/')).toEqual({ type: 'FunctionError', message: 'nope', stacktrace: [] });
  });

  it('falls back to the error name for an empty message', () => {
    expect(functionError(new RangeError(), '/shim/').message).toBe('RangeError');
  });
});
