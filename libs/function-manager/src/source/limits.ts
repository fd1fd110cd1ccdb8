/**
 * Size limits of a function's source (README: "Function source").
 *
 * | limit | value | refused with |
 * |---|---|---|
 * | uploaded archive (tar.gz, tar or zip) | 10 MiB | PAYLOAD_TOO_LARGE |
 * | extracted source, all files together | 50 MiB | PAYLOAD_TOO_LARGE |
 * | files in the source | 5000 | PAYLOAD_TOO_LARGE |
 * | one file | 20 MiB | PAYLOAD_TOO_LARGE |
 * | a path inside the source | 1024 bytes (255 per segment) | INVALID_ARCHIVE |
 *
 * Sizes are counted as the archive inflates, never taken from its headers alone: headers may only
 * refuse early (a zip entry declaring 30 MiB is refused before it is read), and an entry inflating
 * past what its header declares is refused as damaged. Directories do not count as files, but an
 * archive may hold at most `2 × maxFiles` entries of any kind, and a tar.gz may inflate to at most
 * `maxTreeBytes + 4 KiB × maxFiles` bytes of tar (headers, padding), so a bomb of directory entries
 * or of trailing zeros is refused too.
 */
export interface SourceLimits {
  /** Largest archive accepted, compressed (the HTTP layer checks it too). */
  maxArchiveBytes: number;
  /** Largest extracted source: the sum of all file sizes. */
  maxTreeBytes: number;
  /** Most files in the source. */
  maxFiles: number;
  /** Largest single file. */
  maxFileBytes: number;
}

const MiB = 1024 * 1024;

export const SOURCE_ARCHIVE_MAX_BYTES = 10 * MiB;
export const SOURCE_TREE_MAX_BYTES = 50 * MiB;
export const SOURCE_MAX_FILES = 5000;
export const SOURCE_FILE_MAX_BYTES = 20 * MiB;
/** Longest path inside the source, in UTF-8 bytes. */
export const SOURCE_PATH_MAX_BYTES = 1024;
/** Longest single path segment (file or directory name), in UTF-8 bytes. */
export const SOURCE_PATH_SEGMENT_MAX_BYTES = 255;

export const SOURCE_LIMITS: Readonly<SourceLimits> = Object.freeze({
  maxArchiveBytes: SOURCE_ARCHIVE_MAX_BYTES,
  maxTreeBytes: SOURCE_TREE_MAX_BYTES,
  maxFiles: SOURCE_MAX_FILES,
  maxFileBytes: SOURCE_FILE_MAX_BYTES,
});

/** The default limits with the given ones on top. */
export function sourceLimits(overrides?: Partial<SourceLimits>): SourceLimits {
  return { ...SOURCE_LIMITS, ...overrides };
}

/** `10 MiB`, `512 KiB`, `300 bytes`: sizes as limit messages show them. */
export function formatBytes(bytes: number): string {
  if (bytes >= MiB) return `${trim(bytes / MiB)} MiB`;
  if (bytes >= 1024) return `${trim(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

function trim(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
