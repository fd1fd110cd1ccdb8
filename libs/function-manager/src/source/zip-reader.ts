import { crc32 } from 'node:zlib';
import type { Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';
import type { SourceTreeBuilder } from './source-tree';

/** Zip "version made by" hosts whose external attributes carry a Unix st_mode. */
const UNIX_HOSTS = new Set([3 /* Unix */, 19 /* OS X */]);
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const DOS_DIRECTORY = 0x10;

function invalid(message: string, details?: unknown): DispatchError {
  return new DispatchError(ErrorCode.INVALID_ARCHIVE, message, details);
}

/** What an entry is, from its name and external attributes. */
function kindOf(entry: yauzl.Entry, name: string): 'file' | 'directory' | 'symlink' | 'special' {
  if (UNIX_HOSTS.has(entry.versionMadeBy >>> 8)) {
    const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
    if (type === S_IFLNK) return 'symlink';
    if (type === S_IFDIR) return 'directory';
    if (type !== 0 && type !== S_IFREG) return 'special';
  }
  if (name.endsWith('/') || entry.externalFileAttributes & DOS_DIRECTORY) return 'directory';
  return 'file';
}

function unixMode(entry: yauzl.Entry): number | undefined {
  return UNIX_HOSTS.has(entry.versionMadeBy >>> 8) ? (entry.externalFileAttributes >>> 16) & 0o7777 : undefined;
}

/**
 * Reads a zip held in memory with yauzl, entry by entry. Names are decoded by yauzl (UTF-8 flag,
 * Info-ZIP unicode path field, else CP437) but checked here, so refusals name the entry. Each
 * entry's bytes are counted as they inflate: past the size its header declares it is refused as
 * damaged, past a limit as too large; its CRC-32 is checked too (yauzl leaves that to its users).
 */
export async function readZip(bytes: Buffer, builder: SourceTreeBuilder): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(bytes, {
      lazyEntries: true,
      decodeStrings: false,
      validateEntrySizes: false,
      strictFileNames: false,
    });
  } catch (error) {
    throw invalid(`archive is damaged: ${(error as Error).message}`);
  }
  try {
    for await (const entry of eachEntry(zip)) {
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      const path = builder.entry(name);
      const kind = kindOf(entry, name);
      if (kind === 'directory') continue;
      if (kind === 'symlink') builder.refuse(name, 'symlink');
      if (kind === 'special') builder.refuse(name, 'special');
      if (entry.isEncrypted()) {
        throw invalid(`archive entry ${name} is encrypted: upload an archive without a password`, { path: name });
      }
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        throw invalid(
          `archive entry ${name} uses compression method ${entry.compressionMethod}: only stored and deflated entries are supported`,
          { path: name },
        );
      }
      const sink = builder.beginFile(path, entry.uncompressedSize);
      await readEntry(zip, entry, name, (chunk) => sink.write(chunk));
      sink.end(unixMode(entry));
    }
  } finally {
    zip.close();
  }
}

/** yauzl's entry iterator, its errors (bad central directory…) turned into INVALID_ARCHIVE. */
async function* eachEntry(zip: yauzl.ZipFile): AsyncGenerator<yauzl.Entry> {
  const entries = zip.eachEntry();
  for (;;) {
    let next: IteratorResult<yauzl.Entry>;
    try {
      next = await entries.next();
    } catch (error) {
      throw invalid(`archive is damaged: ${(error as Error).message}`);
    }
    if (next.done) return;
    yield next.value;
  }
}

async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, name: string, write: (chunk: Buffer) => void): Promise<void> {
  const declared = entry.uncompressedSize;
  let stream: Readable | undefined;
  let size = 0;
  let crc = 0;
  try {
    stream = await zip.openReadStreamPromise(entry);
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > declared) {
        throw invalid(`archive entry ${name} inflates past the ${declared} bytes its header declares: the archive is damaged`, {
          path: name,
        });
      }
      write(chunk);
      crc = crc32(chunk, crc);
    }
  } catch (error) {
    if (error instanceof DispatchError) throw error;
    throw invalid(`archive entry ${name} is damaged: ${(error as Error).message}`, { path: name });
  } finally {
    stream?.destroy();
  }
  if (size !== declared) {
    throw invalid(`archive entry ${name} holds ${size} bytes where its header declares ${declared}: the archive is damaged`, {
      path: name,
    });
  }
  if (crc >>> 0 !== entry.crc32 >>> 0) {
    throw invalid(`archive entry ${name} is damaged: its CRC-32 does not match`, { path: name });
  }
}
