import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Header, Pax } from 'tar';
import { comparePaths, type SourceTree } from './source-tree';

const gzipAsync = promisify(gzip);
const BLOCK = 512;
const EPOCH = new Date(0);

/** The tar blocks of one entry: a pax header when the path does not fit ustar, the ustar header, the padded content. */
function entryBlocks(type: 'File' | 'Directory', path: string, mode: number, content: Buffer = Buffer.alloc(0)): Buffer[] {
  const header = new Header({ path, mode, uid: 0, gid: 0, uname: '', gname: '', size: content.length, mtime: EPOCH, type });
  const blocks: Buffer[] = [];
  // encode() fills header.block and answers whether the path needs a pax record.
  if (header.encode()) blocks.push(new Pax({ path, mtime: EPOCH }).encode());
  blocks.push(header.block ?? Buffer.alloc(BLOCK));
  if (content.length) blocks.push(content, Buffer.alloc((BLOCK - (content.length % BLOCK)) % BLOCK));
  return blocks;
}

/**
 * The canonical tar.gz of a tree: a root entry `./`, then the files sorted by path with their
 * modes, mtime 0, uid/gid 0 and no owner names, written with node-tar's header encoder and
 * gzipped by zlib. The same tree always packs to the same bytes (for one zlib build), and
 * `readArchive` of the result gives back the same tree (the root entry keeps a tree whose files
 * all sit in one directory from losing it to folder stripping). PostgreSQL keeps it as a function
 * version's source.
 */
export async function packTree(tree: SourceTree): Promise<Buffer> {
  const files = [...tree.files].sort((a, b) => comparePaths(a.path, b.path));
  const blocks = [
    ...entryBlocks('Directory', './', 0o755),
    ...files.flatMap((file) => entryBlocks('File', file.path, file.mode, file.content)),
    Buffer.alloc(2 * BLOCK), // end of archive
  ];
  return gzipAsync(Buffer.concat(blocks), { level: 9 });
}
