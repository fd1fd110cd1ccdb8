import { checkHandler, parseHandler } from './handler';
import type { SourceTree } from './source-tree';
import { refusal } from './test-support/refusal';

function tree(...paths: string[]): SourceTree {
  return { files: paths.sort().map((path) => ({ path, mode: 0o644 as const, content: Buffer.alloc(0) })) };
}

/** One test a row: `runtime` refuses the row's handler as malformed, with the row's message. */
function refusesMalformed(runtime: string, source: SourceTree, rows: Array<[handler: string, message: string]>): void {
  it.each(rows)('refuses the malformed %j', (handler, message) => {
    const error = refusal(() => checkHandler(source, runtime, handler));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe(message);
  });
}

describe('checkHandler', () => {
  it('refuses a runtime Dispatch has no shim for', () => {
    const error = refusal(() => checkHandler(tree('index.js'), 'ruby', 'index.rb'));
    expect(error.code).toBe('UNKNOWN_RUNTIME');
    expect(error.message).toBe('runtime ruby is unknown: runtime must be one of nodejs, python3');
  });

  describe('nodejs', () => {
    const source = tree('index.js', 'lib/hello.js', 'lib/util/index.js', 'main.cjs', 'package.json', 'bin/tool');

    it.each([
      ['index.js', 'index.js', undefined],
      ['./index.js', 'index.js', undefined],
      ['index', 'index.js', undefined],
      ['lib/hello.js', 'lib/hello.js', undefined],
      ['lib/hello', 'lib/hello.js', undefined],
      ['lib/util', 'lib/util/index.js', undefined],
      ['main.cjs', 'main.cjs', undefined],
      ['bin/tool', 'bin/tool', undefined],
      ['lib/hello.js:greet', 'lib/hello.js', 'greet'],
      ['lib/hello:greet', 'lib/hello.js', 'greet'],
      [' index.js ', 'index.js', undefined],
    ])('%j → %s %s', (handler, file, exportName) => {
      const target = checkHandler(source, 'nodejs', handler);
      expect(target).toEqual({ runtime: 'nodejs', file, ...(exportName ? { exportName } : {}) });
    });

    it('says what the source holds when the file is not there', () => {
      const error = refusal(() => checkHandler(tree('main.js', 'package.json'), 'nodejs', 'index.js'));
      expect(error.code).toBe('HANDLER_NOT_FOUND');
      expect(error.message).toBe('handler index.js not found in the source; it holds: main.js, package.json');
      expect(error.details).toEqual({ handler: 'index.js', runtime: 'nodejs', lookedFor: ['index.js'] });
      const bare = refusal(() => checkHandler(tree('main.js'), 'nodejs', 'index'));
      expect(bare.message).toBe('handler index not found in the source (looked for index, index.js, index/index.js); it holds: main.js');
    });

    it('lists a few files, the runtime’s own and the shallowest first', () => {
      const many = tree('README.md', 'a/b/c/deep.js', 'src/app.js', 'z.js', ...Array.from({ length: 10 }, (_, i) => `doc/page${i}.md`));
      const error = refusal(() => checkHandler(many, 'nodejs', 'index.js'));
      expect(error.message).toBe(
        'handler index.js not found in the source; it holds: z.js, src/app.js, a/b/c/deep.js, README.md, doc/page0.md, doc/page1.md, doc/page2.md, doc/page3.md and 6 more',
      );
    });

    refusesMalformed('nodejs', source, [
      ['', 'handler must not be empty'],
      ['../index.js', "handler ../index.js must name a file inside the source: no '..'"],
      ['lib/../../x.js', "handler lib/../../x.js must name a file inside the source: no '..'"],
      ['/srv/index.js', 'handler /srv/index.js must be a path relative to the source root, not an absolute one'],
      ['C:/index.js', 'handler C:/index.js must be a path relative to the source root, not an absolute one'],
      ['lib\\index.js', 'handler lib\\index.js must be a path with / separators and no control characters'],
      ['index.js:', 'handler index.js: names the export "", which is not a JavaScript identifier (file.js:name)'],
      [
        'index.js:not-a-name',
        'handler index.js:not-a-name names the export "not-a-name", which is not a JavaScript identifier (file.js:name)',
      ],
      ['lib//a.js', 'handler lib//a.js must name a file (no empty path segments)'],
    ]);
  });

  describe('python3', () => {
    const source = tree('hello.py', 'pkg/mod.py', 'pkg/__init__.py', 'app/__init__.py', 'requirements.txt');

    it.each([
      ['hello.handle', 'hello.py', 'handle'],
      ['hello.main', 'hello.py', 'main'],
      ['hello.py', 'hello.py', 'handle'],
      ['pkg/mod.handle', 'pkg/mod.py', 'handle'],
      ['pkg.mod.handle', 'pkg/mod.py', 'handle'],
      ['pkg/mod.py', 'pkg/mod.py', 'handle'],
      ['app.handle', 'app/__init__.py', 'handle'],
      ['pkg.handle', 'pkg/__init__.py', 'handle'],
    ])('%j → %s %s', (handler, file, exportName) => {
      expect(checkHandler(source, 'python3', handler)).toEqual({ runtime: 'python3', file, exportName });
    });

    it('says what the source holds when the module is not there', () => {
      const error = refusal(() => checkHandler(tree('main.py', 'requirements.txt', 'lib/x.py'), 'python3', 'hello.handle'));
      expect(error.code).toBe('HANDLER_NOT_FOUND');
      expect(error.message).toBe(
        'handler hello.handle not found in the source (looked for hello.py, hello/__init__.py); it holds: main.py, lib/x.py, requirements.txt',
      );
      const file = refusal(() => checkHandler(tree('main.py'), 'python3', 'hello.py'));
      expect(file.message).toBe('handler hello.py not found in the source; it holds: main.py');
    });

    refusesMalformed('python3', source, [
      ['hello', 'handler hello must be module.function (hello.handle, pkg/mod.handle) or a file (hello.py)'],
      ['.handle', 'handler .handle must be module.function (hello.handle, pkg/mod.handle) or a file (hello.py)'],
      ['pkg/.handle', 'handler pkg/.handle must be module.function (hello.handle, pkg/mod.handle) or a file (hello.py)'],
      ['hello.2fast', 'handler hello.2fast names the function "2fast", which is not a Python identifier (module.function)'],
      ['../hello.handle', "handler ../hello.handle must name a file inside the source: no '..'"],
      ['/srv/hello.py', 'handler /srv/hello.py must be a path relative to the source root, not an absolute one'],
      ['pkg..handle', 'handler pkg..handle must name a file (no empty path segments)'],
    ]);
  });
});

describe('parseHandler', () => {
  it('answers the files a handler may name, in the order a shim looks for them', () => {
    expect(parseHandler('nodejs', 'lib/hello')).toEqual({
      runtime: 'nodejs',
      candidates: ['lib/hello', 'lib/hello.js', 'lib/hello/index.js'],
    });
    expect(parseHandler('python3', 'pkg/mod.handle')).toEqual({
      runtime: 'python3',
      candidates: ['pkg/mod.py', 'pkg/mod/__init__.py'],
      exportName: 'handle',
    });
  });
});
