import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'tar';
import { DispatchError } from '@dispatch/platform';
import { treeDigest } from './digest';
import { readArchive } from './read-archive';
import { treeFromFiles } from './source-tree';
import { collect, writeZip } from './test-support/archives';

/** Archives made by node-tar from real directories, as `tar czf` on a laptop would. */
describe('readArchive of archives made from a directory by node-tar', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'dispatch-source-'));
    const hello = join(root, 'hello');
    await mkdir(join(hello, 'lib'), { recursive: true });
    await writeFile(join(hello, 'index.js'), 'module.exports = () => "hi";\n');
    await writeFile(join(hello, 'lib', 'util.js'), 'exports.u = 1;\n');
    await writeFile(join(hello, 'start.sh'), '#!/bin/sh\n');
    await chmod(join(hello, 'start.sh'), 0o750);
    await writeFile(join(hello, '.DS_Store'), 'junk');
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const expected = treeFromFiles([
    { path: 'index.js', content: Buffer.from('module.exports = () => "hi";\n') },
    { path: 'lib/util.js', content: Buffer.from('exports.u = 1;\n') },
    { path: 'start.sh', content: Buffer.from('#!/bin/sh\n'), mode: 0o755 },
  ]);

  it('strips the folder of `tar czf hello.tgz hello/` and keeps the executable bit', async () => {
    const tgz = await collect(create({ cwd: root, gzip: true }, ['hello']));
    const tree = await readArchive(tgz);
    expect(tree.files.map((f) => [f.path, f.mode.toString(8)])).toEqual([
      ['index.js', '644'],
      ['lib/util.js', '644'],
      ['start.sh', '755'],
    ]);
    expect(treeDigest(tree)).toBe(treeDigest(expected));
  });

  it('reads `tar cf - -C hello .` (plain tar, rooted at ./) to the same tree', async () => {
    const tar = await collect(create({ cwd: join(root, 'hello'), portable: true }, ['.']));
    expect(treeDigest(await readArchive(tar))).toBe(treeDigest(expected));
  });

  it('gives a zip of the same files the same digest', async () => {
    const zip = writeZip([
      { name: 'hello/' },
      { name: 'hello/index.js', content: 'module.exports = () => "hi";\n' },
      { name: 'hello/lib/util.js', content: 'exports.u = 1;\n', method: 'store' },
      { name: 'hello/start.sh', content: '#!/bin/sh\n', unixMode: 0o100750 },
    ]);
    expect(treeDigest(await readArchive(zip))).toBe(treeDigest(expected));
  });

  it('refuses a real symlink in the folder', async () => {
    const linked = join(root, 'linked');
    await mkdir(linked);
    await writeFile(join(linked, 'index.js'), 'module.exports = () => 1;\n');
    await symlink('index.js', join(linked, 'main.js'));
    const tgz = await collect(create({ cwd: root, gzip: true }, ['linked']));
    const error = await readArchive(tgz).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DispatchError);
    expect((error as DispatchError).code).toBe('INVALID_ARCHIVE');
    expect((error as DispatchError).message).toBe('archive contains a symlink linked/main.js: replace it with the file');
  });
});
