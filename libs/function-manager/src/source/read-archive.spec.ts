import { gzipSync } from 'node:zlib';
import { treeDigest } from './digest';
import { SOURCE_FILE_MAX_BYTES } from './limits';
import { detectArchiveFormat, readArchive } from './read-archive';
import type { SourceTree } from './source-tree';
import { asyncRefusal } from './test-support/refusal';
import { paxRecord, writeTar, writeZip, type TarEntrySpec, type ZipEntrySpec } from './test-support/archives';

const MiB = 1024 * 1024;

function summary(tree: SourceTree): Array<[string, string, string]> {
  return tree.files.map((file) => [file.path, file.mode.toString(8), file.content.toString()]);
}

const INDEX = 'module.exports = (context, payload) => ({ hello: payload });\n';
const HELPER = 'exports.greet = (name) => `hi ${name}`;\n';
const RUN = '#!/bin/sh\necho run\n';

const tarEntries: TarEntrySpec[] = [
  { path: 'lib/', type: 'Directory' },
  { path: 'lib/helper.js', content: HELPER },
  { path: 'index.js', content: INDEX, mode: 0o664 },
  { path: 'bin/run.sh', content: RUN, mode: 0o775 },
  { path: 'empty.txt', content: '' },
];
const zipEntries: ZipEntrySpec[] = [
  { name: 'index.js', content: INDEX, method: 'store' },
  { name: 'bin/', unixMode: 0o040755 },
  { name: 'bin/run.sh', content: RUN, unixMode: 0o100755 },
  { name: 'lib/helper.js', content: HELPER, unixMode: 0o100600 },
  { name: 'empty.txt', content: '', method: 'store' },
];

describe('detectArchiveFormat', () => {
  it('tells the formats apart by magic bytes', () => {
    expect(detectArchiveFormat(writeTar(tarEntries, { gzip: true }))).toBe('tar.gz');
    expect(detectArchiveFormat(writeTar(tarEntries))).toBe('tar');
    expect(detectArchiveFormat(writeZip(zipEntries))).toBe('zip');
    expect(detectArchiveFormat(writeZip([]))).toBe('zip');
    expect(detectArchiveFormat(Buffer.from('{"not": "an archive"}'))).toBeUndefined();
    expect(detectArchiveFormat(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('readArchive', () => {
  it('reads the same files from a tar.gz, a tar and a zip into the same tree and digest', async () => {
    const fromTgz = await readArchive(writeTar(tarEntries, { gzip: true }));
    const fromTar = await readArchive(writeTar(tarEntries));
    const fromZip = await readArchive(writeZip(zipEntries));
    expect(summary(fromTgz)).toEqual([
      ['bin/run.sh', '755', RUN],
      ['empty.txt', '644', ''],
      ['index.js', '644', INDEX],
      ['lib/helper.js', '644', HELPER],
    ]);
    expect(summary(fromTar)).toEqual(summary(fromTgz));
    expect(summary(fromZip)).toEqual(summary(fromTgz));
    expect(treeDigest(fromTar)).toBe(treeDigest(fromTgz));
    expect(treeDigest(fromZip)).toBe(treeDigest(fromTgz));
    // The entry order of the archive does not matter either.
    expect(treeDigest(await readArchive(writeTar([...tarEntries].reverse())))).toBe(treeDigest(fromTgz));
  });

  it('takes a zip without Unix attributes (made on Windows) as plain 0644 files', async () => {
    const tree = await readArchive(
      writeZip([
        { name: 'hello\\index.js', content: INDEX },
        { name: 'hello\\', content: '' },
      ]),
    );
    expect(summary(tree)).toEqual([['index.js', '644', INDEX]]);
  });

  it('strips the one top-level directory every file shares, as when a folder was archived', async () => {
    const folder = await readArchive(
      writeTar(
        [
          { path: 'hello/', type: 'Directory' },
          { path: 'hello/index.js', content: INDEX },
          { path: './hello/lib/helper.js', content: HELPER },
        ],
        { gzip: true },
      ),
    );
    expect(folder.files.map((file) => file.path)).toEqual(['index.js', 'lib/helper.js']);
    // An entry for the root itself (`tar -C dir .`, packTree) says the paths are as meant.
    const rooted = await readArchive(
      writeTar([
        { path: './', type: 'Directory' },
        { path: './src/', type: 'Directory' },
        { path: './src/index.js', content: INDEX },
      ]),
    );
    expect(rooted.files.map((file) => file.path)).toEqual(['src/index.js']);

    const zipped = await readArchive(writeZip([{ name: 'hello/' }, { name: 'hello/src/index.js', content: INDEX }]));
    // One level only: src/ is part of the source.
    expect(zipped.files.map((file) => file.path)).toEqual(['src/index.js']);

    const twoTops = await readArchive(
      writeTar([
        { path: 'a/index.js', content: INDEX },
        { path: 'b/index.js', content: INDEX },
      ]),
    );
    expect(twoTops.files.map((file) => file.path)).toEqual(['a/index.js', 'b/index.js']);
    const fileAtTop = await readArchive(
      writeTar([
        { path: 'a/index.js', content: INDEX },
        { path: 'package.json', content: '{}' },
      ]),
    );
    expect(fileAtTop.files.map((file) => file.path)).toEqual(['a/index.js', 'package.json']);
  });

  it('drops macOS junk (__MACOSX/, .DS_Store, AppleDouble ._ files) before stripping the folder', async () => {
    const appleDouble = Buffer.concat([Buffer.from([0x00, 0x05, 0x16, 0x07]), Buffer.alloc(60)]);
    const tree = await readArchive(
      writeZip([
        { name: 'hello/index.js', content: INDEX },
        { name: 'hello/.DS_Store', content: 'junk' },
        { name: '__MACOSX/hello/._index.js', content: appleDouble },
        { name: '._hello', content: appleDouble },
        { name: 'hello/._notes.txt', content: 'a real file whose name starts with ._' },
      ]),
    );
    expect(tree.files.map((file) => file.path)).toEqual(['._notes.txt', 'index.js']);
  });

  it('reads pax long paths, GNU long names and git archive global headers as metadata, not files', async () => {
    const deep = `${'a'.repeat(120)}/${'b'.repeat(120)}/index.js`;
    const gnu = `${'c'.repeat(150)}/main.js`;
    const tree = await readArchive(
      writeTar(
        [
          // What `git archive` writes first: a global pax header carrying the commit id.
          { path: 'pax_global_header', type: 'GlobalExtendedHeader', content: paxRecord('comment', 'f'.repeat(40)) },
          { path: deep, content: INDEX },
          { path: '././@LongLink', type: 'NextFileHasLongPath', content: `${gnu}\0` },
          { path: gnu.slice(0, 99), content: HELPER },
          { path: 'top.js', content: '' },
        ],
        { gzip: true },
      ),
    );
    expect(tree.files.map((file) => file.path)).toEqual([deep, gnu, 'top.js']);
    expect(tree.files[1].content.toString()).toBe(HELPER);
  });

  describe('refuses, naming the problem', () => {
    it.each([
      [
        'tar',
        writeTar([
          { path: 'index.js', content: INDEX },
          { path: '../x.js', content: 'evil' },
        ]),
      ],
      ['tar.gz', writeTar([{ path: 'a/../../x.js', content: 'evil' }], { gzip: true })],
      ['zip', writeZip([{ name: '../x.js', content: 'evil' }])],
    ])('a path escaping the tree with .. (%s)', async (_format, archive) => {
      const error = await asyncRefusal(readArchive(archive));
      expect(error.code).toBe('INVALID_ARCHIVE');
      expect(error.message).toMatch(/archive entry (\.\.\/x\.js|a\/\.\.\/\.\.\/x\.js) reaches outside the source with '\.\.'/);
    });

    it.each([
      ['tar', writeTar([{ path: '/etc/x', content: 'evil' }])],
      ['zip', writeZip([{ name: '/etc/x', content: 'evil' }])],
      ['zip, Windows drive', writeZip([{ name: 'C:\\x', content: 'evil' }])],
    ])('an absolute path (%s)', async (_format, archive) => {
      const error = await asyncRefusal(readArchive(archive));
      expect(error.code).toBe('INVALID_ARCHIVE');
      expect(error.message).toMatch(/^archive entry (\/etc\/x|C:\/x) has an absolute path/);
    });

    it.each([
      [
        'tar',
        writeTar([
          { path: 'index.js', content: INDEX },
          { path: 'link.js', type: 'SymbolicLink', linkpath: 'index.js' },
        ]),
      ],
      ['zip', writeZip([{ name: 'link.js', content: 'index.js', unixMode: 0o120777 }])],
    ])('a symlink (%s)', async (_format, archive) => {
      const error = await asyncRefusal(readArchive(archive));
      expect(error.code).toBe('INVALID_ARCHIVE');
      expect(error.message).toBe('archive contains a symlink link.js: replace it with the file');
    });

    it('a hard link, a device, a fifo', async () => {
      const hard = await asyncRefusal(
        readArchive(
          writeTar([
            { path: 'index.js', content: INDEX },
            { path: 'again.js', type: 'Link', linkpath: 'index.js' },
          ]),
        ),
      );
      expect(hard.message).toBe('archive contains a hard link again.js: replace it with the file');
      const device = await asyncRefusal(readArchive(writeTar([{ path: 'dev/null', type: 'CharacterDevice' }])));
      expect(device.code).toBe('INVALID_ARCHIVE');
      expect(device.message).toMatch(/^archive contains a device or special file dev\/null \(CharacterDevice\)/);
      const fifo = await asyncRefusal(readArchive(writeZip([{ name: 'pipe', unixMode: 0o010644 }])));
      expect(fifo.message).toMatch(/^archive contains a device or special file pipe/);
    });

    it('what is not a tar.gz, tar or zip', async () => {
      for (const bytes of [Buffer.from('print("hello")\n'), Buffer.alloc(0), Buffer.from('PK\x01\x02 not really')]) {
        const error = await asyncRefusal(readArchive(bytes));
        expect(error.code).toBe('INVALID_ARCHIVE');
        expect(error.message).toBe('source is not a tar.gz, tar or zip archive');
      }
      // A gzip of something other than a tar (here a gzip of a gzip).
      const nested = await asyncRefusal(readArchive(gzipSync(writeTar(tarEntries, { gzip: true }))));
      expect(nested.message).toBe('source is not a tar.gz, tar or zip archive');
    });

    it('an archive holding no files', async () => {
      for (const archive of [
        writeTar([]),
        writeTar([], { gzip: true }),
        writeTar([{ path: 'hello/', type: 'Directory' }], { gzip: true }),
        writeZip([]),
        writeZip([{ name: 'hello/' }, { name: '.DS_Store', content: 'junk' }]),
      ]) {
        const error = await asyncRefusal(readArchive(archive));
        expect(error.code).toBe('INVALID_ARCHIVE');
        expect(error.message).toBe('archive holds no files');
      }
    });

    it('a damaged archive', async () => {
      const tgz = writeTar(tarEntries, { gzip: true });
      const truncated = await asyncRefusal(readArchive(tgz.subarray(0, tgz.length - 12)));
      expect(truncated.code).toBe('INVALID_ARCHIVE');
      expect(truncated.message).toMatch(/^archive is damaged: gzip: unexpected end of file/);

      const tar = writeTar([{ path: 'index.js', content: INDEX.repeat(40) }]);
      const cut = await asyncRefusal(readArchive(tar.subarray(0, 1024)));
      expect(cut.message).toMatch(/^archive is damaged: /);

      const badChecksum = Buffer.from(writeTar(tarEntries));
      badChecksum[700] ^= 0xff; // inside the second header's name
      const corrupt = await asyncRefusal(readArchive(badChecksum));
      expect(corrupt.message).toMatch(/^archive is damaged: .*checksum/);

      const zip = writeZip([{ name: 'index.js', content: INDEX, method: 'store' }]);
      zip[30 + 'index.js'.length + 3] ^= 0xff; // a byte of the stored data
      const crc = await asyncRefusal(readArchive(zip));
      expect(crc.message).toBe('archive entry index.js is damaged: its CRC-32 does not match');

      const noDirectory = await asyncRefusal(readArchive(zip.subarray(0, 60)));
      expect(noDirectory.code).toBe('INVALID_ARCHIVE');
      expect(noDirectory.message).toMatch(/^archive is damaged: /);
    });

    it('a path given twice, or both as a file and as a directory', async () => {
      const twice = writeZip([
        { name: 'a.js', content: '1' },
        { name: './a.js', content: '2' },
      ]);
      const fileAndDirectory = writeTar([
        { path: 'lib', content: 'x' },
        { path: 'lib/a.js', content: 'y' },
      ]);
      expect((await asyncRefusal(readArchive(twice))).message).toBe('archive holds a.js twice');
      expect((await asyncRefusal(readArchive(fileAndDirectory))).message).toBe(
        'archive holds lib both as a file and as a directory (lib/a.js)',
      );
    });

    it('an encrypted or oddly compressed zip entry', async () => {
      const zip = writeZip([{ name: 'index.js', content: INDEX }]);
      const encrypted = Buffer.from(zip);
      const central = encrypted.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      encrypted.writeUInt16LE(0x0801, central + 8);
      expect((await asyncRefusal(readArchive(encrypted))).message).toBe(
        'archive entry index.js is encrypted: upload an archive without a password',
      );
      const bzip = Buffer.from(zip);
      bzip.writeUInt16LE(12, central + 10);
      expect((await asyncRefusal(readArchive(bzip))).message).toBe(
        'archive entry index.js uses compression method 12: only stored and deflated entries are supported',
      );
    });
  });

  describe('limits', () => {
    it('refuses an archive over the archive limit before reading it', async () => {
      const error = await asyncRefusal(readArchive(Buffer.alloc(10 * MiB + 1)));
      expect(error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(error.message).toBe('source archive of 10485761 bytes is over the 10 MiB limit on an uploaded archive');
      const small = await asyncRefusal(readArchive(writeTar(tarEntries), { maxArchiveBytes: 1024 }));
      expect(small.message).toMatch(/^source archive of \d+ bytes is over the 1 KiB limit on an uploaded archive$/);
    });

    it('refuses more files than the limit', async () => {
      const files = Array.from({ length: 6 }, (_, i) => ({ path: `f${i}.js`, content: 'x' }));
      const error = await asyncRefusal(readArchive(writeTar(files), { maxFiles: 5 }));
      expect(error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(error.message).toBe('archive holds more than 5 files: the limit is 5 files');
      // Directories are not files, but there may not be endlessly many of them either.
      const dirs = Array.from({ length: 11 }, (_, i) => ({ path: `d${i}/`, type: 'Directory' as const }));
      const many = await asyncRefusal(readArchive(writeTar([...dirs, { path: 'a.js', content: 'x' }]), { maxFiles: 5 }));
      expect(many.message).toBe('archive holds more than 10 entries: the limit is 5 files and twice as many entries');
      const atTheLimit = await readArchive(writeTar(files.slice(0, 5)), { maxFiles: 5 });
      expect(atTheLimit.files.map((f) => f.path).sort()).toEqual(['f0.js', 'f1.js', 'f2.js', 'f3.js', 'f4.js']);
    });

    it('refuses a file over the one-file limit, from its header, before inflating it', async () => {
      const big = Buffer.alloc(SOURCE_FILE_MAX_BYTES + 1);
      for (const archive of [
        writeTar([{ path: 'big.bin', content: big }], { gzip: true }),
        writeZip([{ name: 'big.bin', content: big }]),
      ]) {
        const error = await asyncRefusal(readArchive(archive));
        expect(error.code).toBe('PAYLOAD_TOO_LARGE');
        expect(error.message).toBe('file big.bin is larger than the 20 MiB limit on one file');
      }
    });

    it('refuses a source over the total limit', async () => {
      const files = [0, 1, 2].map((i) => ({ path: `part${i}.bin`, content: Buffer.alloc(400 * 1024, i) }));
      const error = await asyncRefusal(readArchive(writeTar(files, { gzip: true }), { maxTreeBytes: MiB }));
      expect(error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(error.message).toBe("the extracted source is larger than the 1 MiB limit on a function's source");
    });

    it('stops a zip bomb by counting bytes as they inflate, not trusting the headers', async () => {
      // 21 MiB of zeros deflates to ~21 KiB; the headers claim 1 KiB.
      const zeros = Buffer.alloc(21 * MiB);
      const bomb = writeZip([{ name: 'bomb.bin', content: zeros, declaredSize: 1024, level: 9 }]);
      expect(bomb.length).toBeLessThan(64 * 1024);
      const error = await asyncRefusal(readArchive(bomb));
      expect(error.code).toBe('INVALID_ARCHIVE');
      expect(error.message).toBe('archive entry bomb.bin inflates past the 1024 bytes its header declares: the archive is damaged');

      // Honest entries that each fit, together past the total: refused before the third inflates.
      const wide = writeZip([0, 1, 2].map((i) => ({ name: `zeros${i}.bin`, content: Buffer.alloc(900 * 1024) })));
      const total = await asyncRefusal(readArchive(wide, { maxTreeBytes: 2 * MiB }));
      expect(total.code).toBe('PAYLOAD_TOO_LARGE');
      expect(total.message).toBe("the extracted source is larger than the 2 MiB limit on a function's source");
    });

    it('stops a gzip bomb of tar padding at the inflated-tar bound', async () => {
      // One small file, then 8 MiB of zeros after the end-of-archive marker.
      const trailing = Buffer.alloc(8 * MiB);
      const bomb = writeTar([{ path: 'index.js', content: INDEX }], { gzip: true, trailing });
      const error = await asyncRefusal(readArchive(bomb, { maxTreeBytes: MiB, maxFiles: 10 }));
      expect(error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(error.message).toBe('archive inflates past 1.0 MiB of tar, more than a source of at most 1 MiB can take');
    });
  });
});
