import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LOCAL_IMAGE_PATTERN } from '@dispatch/contracts';
import { useTempDir } from '@dispatch/testing';
import { treeDigest } from './digest';
import { localImageDir, localImageExists, removeLocalImage, writeLocalImage } from './local-image';
import type { SourceFile, SourceTree } from './source-tree';

const file = (path: string, content: string, mode: 0o644 | 0o755 = 0o644): SourceFile => ({ path, mode, content: Buffer.from(content) });

const tree: SourceTree = {
  files: [
    file('bin/start.sh', '#!/bin/sh\necho started\n', 0o755),
    file('index.js', 'module.exports = () => 42;\n'),
    file('lib/deep/util.js', 'exports.u = 1;\n'),
  ],
};

describe('local images', () => {
  const root = useTempDir('dispatch-images-', 'test');

  const mode = async (path: string) => (await stat(path)).mode & 0o7777;

  it('writes the tree at <root>/<digest>/ with its modes, directories 0755, whatever the umask', async () => {
    const umask = process.umask(0o077);
    let written;
    try {
      written = await writeLocalImage(join(root.path, 'images'), tree);
    } finally {
      process.umask(umask);
    }
    const digest = treeDigest(tree);
    expect(written).toEqual({ image: `local/${digest}`, dir: join(root.path, 'images', digest), digest });
    expect(written.image).toMatch(LOCAL_IMAGE_PATTERN);
    expect(localImageDir(join(root.path, 'images'), written.image)).toBe(written.dir);
    expect(await readFile(join(written.dir, 'index.js'), 'utf8')).toBe('module.exports = () => 42;\n');
    expect(await readFile(join(written.dir, 'lib/deep/util.js'), 'utf8')).toBe('exports.u = 1;\n');
    expect(await mode(written.dir)).toBe(0o755);
    expect(await mode(join(written.dir, 'lib'))).toBe(0o755);
    expect(await mode(join(written.dir, 'lib/deep'))).toBe(0o755);
    expect(await mode(join(written.dir, 'bin/start.sh'))).toBe(0o755);
    expect(await mode(join(written.dir, 'index.js'))).toBe(0o644);
    expect(await readdir(join(root.path, 'images'))).toEqual([digest]);
  });

  it('is idempotent: a second write keeps the image there', async () => {
    const first = await writeLocalImage(root.path, tree);
    const before = await stat(join(first.dir, 'index.js'));
    const second = await writeLocalImage(root.path, { files: [...tree.files].reverse() });
    expect(second).toEqual(first);
    expect((await stat(join(first.dir, 'index.js'))).ino).toBe(before.ino);
    expect(await readdir(root.path)).toEqual([first.digest]);
  });

  it('is safe with concurrent writers of the same tree: one complete image, no temporary left', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => writeLocalImage(root.path, tree)));
    expect(new Set(results.map((result) => result.image)).size).toBe(1);
    expect(await readdir(root.path)).toEqual([results[0].digest]);
    expect((await readdir(results[0].dir, { recursive: true })).sort()).toEqual([
      'bin',
      'bin/start.sh',
      'index.js',
      'lib',
      'lib/deep',
      'lib/deep/util.js',
    ]);
  });

  it('tells whether an image is there and removes it', async () => {
    const { image } = await writeLocalImage(root.path, tree);
    expect(await localImageExists(root.path, image)).toBe(true);
    expect(await localImageExists(root.path, `local/${'0'.repeat(64)}`)).toBe(false);
    expect(await localImageExists(root.path, 'ghcr.io/acme/hello:1')).toBe(false);
    expect(localImageDir(root.path, 'local/../etc')).toBeUndefined();

    expect(await removeLocalImage(root.path, image)).toBe(true);
    expect(await localImageExists(root.path, image)).toBe(false);
    expect(await removeLocalImage(root.path, image)).toBe(false);
    expect(await removeLocalImage(root.path, 'ghcr.io/acme/hello:1')).toBe(false);
    expect(await readdir(root.path)).toEqual([]);
  });

  it('refuses a hand-made tree whose paths break the rules, leaving nothing behind', async () => {
    await expect(writeLocalImage(root.path, { files: [file('../escape.js', 'x')] })).rejects.toThrow(/reaches outside the source/);
    await expect(writeLocalImage(root.path, { files: [file('./a.js', 'x')] })).rejects.toThrow('source tree path ./a.js is not normalised');
    expect(await readdir(root.path)).toEqual([]);
  });
});
