import { normaliseSourcePath, sourceFileMode, treeFromFiles, type SourceFileInput } from './source-tree';
import { refusal } from './test-support/refusal';

const file = (path: string, content = 'x', mode?: number): SourceFileInput => ({ path, content: Buffer.from(content), mode });

describe('normaliseSourcePath', () => {
  it.each([
    ['index.js', 'index.js'],
    ['./index.js', 'index.js'],
    ['hello//lib/./a.js', 'hello/lib/a.js'],
    ['hello\\lib\\a.js', 'hello/lib/a.js'],
    ['hello/', 'hello'],
    ['./', ''],
    ['..foo/bar..', '..foo/bar..'],
  ])('%s → %s', (raw, expected) => {
    expect(normaliseSourcePath(raw)).toBe(expected);
  });

  it.each([
    ['../x', /^archive entry \.\.\/x reaches outside the source with '\.\.'/],
    ['a/../b', /^archive entry a\/\.\.\/b reaches outside the source/],
    ['a\\..\\..\\b', /reaches outside the source/],
    ['/etc/passwd', /^archive entry \/etc\/passwd has an absolute path: paths must be relative to the source root$/],
    ['C:\\Windows', /has an absolute path/],
    ['bad\u0000name', /^archive entry "bad\\u0000name" has a control character in its name$/],
    [`${'d'.repeat(256)}/a.js`, /has too long a path: at most 1024 bytes, 255 per name$/],
    [`${'d/'.repeat(600)}a.js`, /has too long a path/],
  ])('refuses %j', (raw, message) => {
    const error = refusal(() => normaliseSourcePath(raw));
    expect(error.code).toBe('INVALID_ARCHIVE');
    expect(error.message).toMatch(message);
  });
});

describe('sourceFileMode', () => {
  it('keeps only whether a file is executable', () => {
    expect(sourceFileMode(undefined)).toBe(0o644);
    expect(sourceFileMode(0o600)).toBe(0o644);
    expect(sourceFileMode(0o4777)).toBe(0o755);
    expect(sourceFileMode(0o700)).toBe(0o755);
    expect(sourceFileMode(0o001)).toBe(0o755);
  });
});

describe('treeFromFiles', () => {
  it('builds a sorted tree, strips the uploaded folder and drops junk', () => {
    const tree = treeFromFiles([
      file('hello/package.json', '{}'),
      file('hello/index.js', 'module.exports = () => 1;'),
      file('hello/bin/start', '#!/bin/sh', 0o755),
      file('hello/.DS_Store', 'junk'),
    ]);
    expect(tree.files.map((f) => [f.path, f.mode.toString(8), f.content.toString()])).toEqual([
      ['bin/start', '755', '#!/bin/sh'],
      ['index.js', '644', 'module.exports = () => 1;'],
      ['package.json', '644', '{}'],
    ]);
  });

  it('copies the content it is given', () => {
    const content = Buffer.from('abc');
    const tree = treeFromFiles([{ path: 'a.txt', content }]);
    content.write('xyz');
    expect(tree.files[0].content.toString()).toBe('abc');
  });

  it('applies the path rules, naming the file', () => {
    expect(refusal(() => treeFromFiles([file('../x.js')])).message).toBe(
      "file ../x.js reaches outside the source with '..': paths must stay inside the source",
    );
    expect(refusal(() => treeFromFiles([file('/x.js')])).message).toMatch(/^file \/x\.js has an absolute path/);
    expect(refusal(() => treeFromFiles([file('a.js'), file('./a.js')])).message).toBe('upload holds a.js twice');
    expect(refusal(() => treeFromFiles([file('a'), file('a/b.js')])).message).toBe(
      'upload holds a both as a file and as a directory (a/b.js)',
    );
    expect(refusal(() => treeFromFiles([file('./')])).message).toBe('upload holds a file without a name');
    const empty = refusal(() => treeFromFiles([]));
    expect([empty.code, empty.message]).toEqual(['INVALID_ARCHIVE', 'upload holds no files']);
  });

  it('applies the limits, saying which', () => {
    const tooMany = refusal(() => treeFromFiles([file('a'), file('b'), file('c')], { maxFiles: 2 }));
    expect([tooMany.code, tooMany.message]).toEqual(['PAYLOAD_TOO_LARGE', 'upload holds more than 2 files: the limit is 2 files']);
    const tooBig = refusal(() => treeFromFiles([file('big.bin', 'x'.repeat(2048))], { maxFileBytes: 1024 }));
    expect([tooBig.code, tooBig.message]).toEqual(['PAYLOAD_TOO_LARGE', 'file big.bin is larger than the 1 KiB limit on one file']);
    expect(tooBig.details).toEqual({ path: 'big.bin', limit: 'maxFileBytes', maxFileBytes: 1024 });
    const tooMuch = refusal(() => treeFromFiles([file('a', 'x'.repeat(600)), file('b', 'x'.repeat(600))], { maxTreeBytes: 1024 }));
    expect([tooMuch.code, tooMuch.message]).toEqual([
      'PAYLOAD_TOO_LARGE',
      "the extracted source is larger than the 1 KiB limit on a function's source",
    ]);
    expect(treeFromFiles([file('a', 'x'.repeat(512)), file('b', 'x'.repeat(512))], { maxTreeBytes: 1024 }).files).toHaveLength(2);
  });
});
