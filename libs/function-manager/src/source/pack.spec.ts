import { gunzipSync } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { treeDigest } from './digest';
import { packTree } from './pack';
import { readArchive } from './read-archive';
import type { SourceFile, SourceTree } from './source-tree';

const file = (path: string, content: string, mode: 0o644 | 0o755 = 0o644): SourceFile => ({ path, mode, content: Buffer.from(content) });

const source: SourceTree = {
  files: [
    file('bin/start.sh', '#!/bin/sh\nexec node index.js\n', 0o755),
    // 150 bytes of path: beyond ustar's 100-byte name, so written with a pax header.
    file(`${'deep/'.repeat(30)}leaf.js`, 'exports.x = 1;\n'),
    file('empty', ''),
    file('index.js', 'module.exports = (context, payload) => payload;\n'),
    file('lib/ünïcödé.js', 'exports.y = 2;\n'),
  ],
};

function entries(tgz: Buffer): Array<Pick<ReadEntry, 'path' | 'type' | 'mode' | 'uid' | 'gid' | 'uname' | 'size'> & { mtime: number }> {
  const seen: ReturnType<typeof entries> = [];
  const parser = new Parser({ strict: true });
  parser.on('entry', (entry: ReadEntry) => {
    seen.push({
      path: entry.path,
      type: entry.type,
      mode: entry.mode,
      uid: entry.uid,
      gid: entry.gid,
      uname: entry.uname,
      size: entry.size,
      mtime: entry.mtime?.getTime() ?? -1,
    });
    entry.resume();
  });
  parser.end(gunzipSync(tgz));
  return seen;
}

describe('treeDigest', () => {
  const digest = treeDigest(source);

  it('is a sha256 hex that does not depend on the order of the files', () => {
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(treeDigest({ files: [...source.files].reverse() })).toBe(digest);
  });

  it('changes with any path, mode or byte', () => {
    const [first, ...rest] = source.files;
    expect(treeDigest({ files: [{ ...first, mode: 0o644 }, ...rest] })).not.toBe(digest);
    expect(treeDigest({ files: [{ ...first, path: 'bin/start' }, ...rest] })).not.toBe(digest);
    expect(treeDigest({ files: [{ ...first, content: Buffer.from('#!/bin/sh\n') }, ...rest] })).not.toBe(digest);
    expect(treeDigest({ files: rest })).not.toBe(digest);
    // Length prefixes: moving bytes between a path and its content is a different tree.
    expect(treeDigest({ files: [file('ab', 'c')] })).not.toBe(treeDigest({ files: [file('a', 'bc')] }));
  });

  it('is stable across releases: solo image names are made of it', () => {
    expect(treeDigest({ files: [file('index.js', 'module.exports = () => 42;\n')] })).toBe(
      'eb1e64f9cca1520118f2db855a93cd6743ed8b8602bfe3f3c84b2155aeaa9e75',
    );
  });
});

describe('packTree', () => {
  it('packs the same tree to the same bytes, whatever the order of its files', async () => {
    const once = await packTree(source);
    const twice = await packTree({ files: [...source.files].reverse() });
    expect(twice.equals(once)).toBe(true);
  });

  it('writes a canonical tar: root entry, sorted files, modes kept, mtime 0, no owners', async () => {
    const listed = entries(await packTree(source));
    expect(listed.map((entry) => entry.path)).toEqual(['./', ...source.files.map((f) => f.path)]);
    expect(listed[0]).toMatchObject({ type: 'Directory', mode: 0o755 });
    for (const entry of listed) expect(entry).toMatchObject({ uid: 0, gid: 0, uname: '', mtime: 0 });
    expect(listed.slice(1).map((entry) => [entry.type, entry.mode, entry.size])).toEqual(
      source.files.map((f) => ['File', f.mode, f.content.length]),
    );
  });

  it('round-trips through readArchive to the same tree and digest', async () => {
    const tree = await readArchive(await packTree(source));
    expect(tree).toEqual(source);
    expect(treeDigest(tree)).toBe(treeDigest(source));
  });

  it('keeps a single top-level directory of the tree (no folder stripping on the way back)', async () => {
    const nested: SourceTree = { files: [file('src/index.js', 'module.exports = () => 1;\n'), file('src/lib/a.js', '')] };
    const tree = await readArchive(await packTree(nested));
    expect(tree.files.map((f) => f.path)).toEqual(['src/index.js', 'src/lib/a.js']);
    expect(treeDigest(tree)).toBe(treeDigest(nested));
  });
});
