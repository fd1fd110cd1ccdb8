import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { Header, Pax, type types } from 'tar';

/**
 * In-memory archive writers for tests: tars through node-tar's own header encoder (so an entry
 * can be anything a hostile archive may hold: `../x`, `/etc/x`, symlinks, devices) and zips by
 * hand (no zip writer among the dependencies; the format is three record types and a CRC-32).
 */

export interface TarEntrySpec {
  path: string;
  type?: types.EntryTypeName;
  content?: Buffer | string;
  mode?: number;
  linkpath?: string;
}

const BLOCK = 512;

export function writeTar(entries: readonly TarEntrySpec[], options: { gzip?: boolean; trailing?: Buffer } = {}): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const content = Buffer.from(entry.content ?? '');
    const type = entry.type ?? 'File';
    const size = content.length;
    const fields = {
      path: entry.path,
      type,
      mode: entry.mode ?? (type === 'Directory' ? 0o755 : 0o644),
      uid: 1000,
      gid: 1000,
      uname: 'someone',
      gname: 'users',
      size,
      mtime: new Date('2024-05-01T12:00:00Z'),
      linkpath: entry.linkpath,
    };
    const header = new Header(fields);
    if (header.encode()) blocks.push(new Pax({ path: entry.path, linkpath: entry.linkpath }).encode());
    blocks.push(header.block!);
    if (size) {
      blocks.push(content);
      blocks.push(Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK));
    }
  }
  blocks.push(Buffer.alloc(2 * BLOCK));
  if (options.trailing) blocks.push(options.trailing);
  const tar = Buffer.concat(blocks);
  return options.gzip ? gzipSync(tar, { level: 1 }) : tar;
}

export interface ZipEntrySpec {
  name: string;
  content?: Buffer | string;
  /** Stored (no compression) or deflated; default deflate. */
  method?: 'store' | 'deflate';
  /** zlib level of a deflated entry: default 1 (fast); 9 packs a bomb tight. */
  level?: number;
  /** A Unix st_mode (file type and permissions): the entry is then "made by" Unix. */
  unixMode?: number;
  /** The uncompressed size the headers claim, to forge a lying entry; default the real one. */
  declaredSize?: number;
}

/** A zip of the given entries: local headers and data, central directory, end record. */
export function writeZip(entries: readonly ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const content = Buffer.from(entry.content ?? '');
    const method = entry.method === 'store' ? 0 : 8;
    const data = method === 0 ? content : deflateRawSync(content, { level: entry.level ?? 1 });
    const crc = crc32(content);
    const size = entry.declaredSize ?? content.length;
    const flags = 0x0800; // names are UTF-8
    const madeBy = entry.unixMode !== undefined ? (3 << 8) | 20 : 20;
    const external = entry.unixMode !== undefined ? (entry.unixMode << 16) >>> 0 : entry.name.endsWith('/') ? 0x10 : 0;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x5821, 12); // date: 2024-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, data);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(madeBy, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x5821, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(external, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** One pax extended header record: `<length> <key>=<value>\n`, the length counting itself. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body);
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return `${length}${body}`;
}

/** Collects a stream (node-tar's create, a Readable) into one buffer. */
export async function collect(stream: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
