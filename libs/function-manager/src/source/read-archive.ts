import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';
import { formatBytes, sourceLimits, type SourceLimits } from './limits';
import { SourceTreeBuilder, type SourceTree } from './source-tree';
import { hasUstarMagic, isAllZero, notAnArchive, readTar, readTarGz } from './tar-reader';
import { readZip } from './zip-reader';

export type ArchiveFormat = 'tar.gz' | 'tar' | 'zip';

/**
 * The archive format by magic bytes: gzip `1f 8b` (taken as tar.gz), `ustar` at offset 257 or
 * nothing but zero blocks (tar), `PK\x03\x04` or, for an empty zip, `PK\x05\x06` (zip).
 * Undefined for anything else.
 */
export function detectArchiveFormat(bytes: Buffer): ArchiveFormat | undefined {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'tar.gz';
  if (hasUstarMagic(bytes)) return 'tar';
  // An empty tar is nothing but its end-of-archive blocks: zeros.
  if (bytes.length >= 1024 && bytes.length % 512 === 0 && isAllZero(bytes)) return 'tar';
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b) {
    if ((bytes[2] === 0x03 && bytes[3] === 0x04) || (bytes[2] === 0x05 && bytes[3] === 0x06)) return 'zip';
  }
  return undefined;
}

/**
 * Reads an uploaded function source (tar.gz, tar or zip, told apart by magic bytes) into a
 * {@link SourceTree}, in memory, never touching the disk. Refuses with a DispatchError:
 *
 * - INVALID_ARCHIVE: not one of the three formats, damaged, empty ("archive holds no files"), an
 *   absolute path, a `..` segment, a symlink, hard link, device or other special entry, a path
 *   given twice or both as a file and a directory; the message names the entry.
 * - PAYLOAD_TOO_LARGE: a limit of {@link SourceLimits} (defaults: SOURCE_LIMITS), the message
 *   saying which. Sizes are counted while inflating, so a zip or gzip bomb stops at the limit.
 *
 * Directory entries, pax headers and GNU long names are read as what they are (not files);
 * `__MACOSX/`, `.DS_Store` and AppleDouble `._*` files are dropped; when every file sits under one
 * top-level directory (`tar czf hello.tgz hello/`) that directory is stripped.
 */
export async function readArchive(bytes: Buffer, limits?: Partial<SourceLimits>): Promise<SourceTree> {
  const resolved = sourceLimits(limits);
  if (bytes.length > resolved.maxArchiveBytes) {
    throw new DispatchError(
      ErrorCode.PAYLOAD_TOO_LARGE,
      `source archive of ${bytes.length} bytes is over the ${formatBytes(resolved.maxArchiveBytes)} limit on an uploaded archive`,
      { limit: 'maxArchiveBytes', maxArchiveBytes: resolved.maxArchiveBytes },
    );
  }
  const format = detectArchiveFormat(bytes);
  if (format === undefined) {
    throw notAnArchive();
  }
  const builder = new SourceTreeBuilder('archive', resolved);
  if (format === 'tar.gz') await readTarGz(bytes, builder);
  else if (format === 'tar') readTar(bytes, builder);
  else await readZip(bytes, builder);
  return builder.build();
}
