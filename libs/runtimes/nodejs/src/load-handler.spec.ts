import { describeLoadError, HandlerError, moduleCandidates, parseHandlerRef, pickFunction } from './load-handler';

describe('parseHandlerRef', () => {
  it.each([
    ['index.js', { file: 'index.js', exportName: undefined }],
    ['lib/hello.js', { file: 'lib/hello.js', exportName: undefined }],
    [' handlers.js:main ', { file: 'handlers.js', exportName: 'main' }],
  ])('reads %s', (ref, parsed) => {
    expect(parseHandlerRef(ref)).toEqual(parsed);
  });

  it.each([
    ['', /names no file/],
    [':main', /names no file/],
    ['index.js:', /names no export/],
    ['/abs/index.js', /absolute path/],
  ])('rejects %j', (ref, message) => {
    expect(() => parseHandlerRef(ref)).toThrow(HandlerError);
    expect(() => parseHandlerRef(ref)).toThrow(message);
  });
});

describe('pickFunction', () => {
  const fn = () => 1;

  it('takes module.exports, a default export, or a named export', () => {
    expect(pickFunction(fn, 'a.js')).toBe(fn);
    expect(pickFunction({ default: fn }, 'a.mjs')).toBe(fn);
    expect(pickFunction({ main: fn }, 'a.js', 'main')).toBe(fn);
    expect(
      pickFunction(
        Object.assign(() => 2, { main: fn }),
        'a.js',
        'main',
      ),
    ).toBe(fn);
    // CommonJS compiled from an ES module, loaded through import(): the exports sit under default.
    expect(pickFunction({ default: { main: fn } }, 'a.js', 'main')).toBe(fn);
  });

  it.each([
    [{ main: fn }, undefined, /a\.js exports an object, not a function/],
    [undefined, undefined, /a\.js exports nothing, not a function/],
    [{ main: fn }, 'other', /a\.js has no export named "other"/],
    [{ main: 'text' }, 'main', /export "main" of a\.js is a string, not a function/],
  ])('explains what is wrong with %j (export %s)', (exported, name, message) => {
    expect(() => pickFunction(exported, 'a.js', name)).toThrow(message);
  });
});

describe('describeLoadError', () => {
  it('names the error on one line, and where a syntax error is, relative to the code', () => {
    expect(describeLoadError(new Error("Cannot find module 'x'\nRequire stack:\n- /c/a.js"), '/c')).toBe(
      "Error: Cannot find module 'x' Require stack: - /c/a.js",
    );
    const syntax = new SyntaxError('Unexpected token');
    syntax.stack = '/c/lib/a.js:3\n  {;\n   ^\n\nSyntaxError: Unexpected token';
    expect(describeLoadError(syntax, '/c')).toBe('SyntaxError: Unexpected token at lib/a.js:3');
    expect(describeLoadError('thrown text', '/c')).toBe('thrown text');
  });
});

describe('moduleCandidates', () => {
  it('looks a file without an extension up as require does', () => {
    expect(moduleCandidates('/c/lib/hello')).toEqual(['/c/lib/hello', '/c/lib/hello.js', '/c/lib/hello/index.js']);
    expect(moduleCandidates('/c/lib/hello.cjs')).toEqual(['/c/lib/hello.cjs']);
  });
});
