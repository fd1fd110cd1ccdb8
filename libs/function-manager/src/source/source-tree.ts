import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';
import { formatBytes, SOURCE_PATH_MAX_BYTES, SOURCE_PATH_SEGMENT_MAX_BYTES, sourceLimits, type SourceLimits } from './limits';

/** Modes a source file keeps: executable or not; owners, setuid bits and the like are dropped. */
export type SourceFileMode = 0o644 | 0o755;

export interface SourceFile {
  /** Relative POSIX path, normalised: no leading `/` or `./`, no `.`/`..`/empty segments. */
  path: string;
  mode: SourceFileMode;
  content: Buffer;
}

/**
 * A function's source, in memory: regular files only (directories are implied by the paths), sorted
 * by path. Every reader (archive, multipart upload) produces this shape, so the same files give the
 * same tree and the same {@link treeDigest} whatever they arrived in.
 */
export interface SourceTree {
  files: SourceFile[];
}

/** One file of a multipart directory upload. */
export interface SourceFileInput {
  path: string;
  content: Buffer;
  /** Unix mode bits; any execute bit makes the file 0755. Default 0644. */
  mode?: number;
}

/** Where entries come from, for messages: "archive entry ../x …", "upload holds no files". */
export type SourceOrigin = 'archive' | 'upload';

/** 0755 when any execute bit is set, else 0644. */
export function sourceFileMode(mode: number | undefined): SourceFileMode {
  return (mode ?? 0) & 0o111 ? 0o755 : 0o644;
}

/** Code-unit order of paths: the one order of {@link SourceTree} files and of the digest. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function invalid(message: string, details?: unknown): DispatchError {
  return new DispatchError(ErrorCode.INVALID_ARCHIVE, message, details);
}

function tooLarge(message: string, details?: unknown): DispatchError {
  return new DispatchError(ErrorCode.PAYLOAD_TOO_LARGE, message, details);
}

/**
 * The normalised form of an entry's path, `''` for the root itself (`./`), or a DispatchError
 * INVALID_ARCHIVE naming the entry: absolute paths (`/x`, `C:x`), any `..` segment, control
 * characters, paths over {@link SOURCE_PATH_MAX_BYTES}. Backslashes count as separators; `.` and
 * empty segments are dropped (`./hello//a.js` → `hello/a.js`).
 */
export function normaliseSourcePath(raw: string, label = 'archive entry'): string {
  const shown = JSON.stringify(raw).slice(1, -1);
  if (/[\u0000-\u001f\u007f]/.test(raw)) {
    throw invalid(`${label} "${shown}" has a control character in its name`, { path: raw });
  }
  const slashed = raw.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) {
    throw invalid(`${label} ${raw} has an absolute path: paths must be relative to the source root`, { path: raw });
  }
  const segments = slashed.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) {
    throw invalid(`${label} ${raw} reaches outside the source with '..': paths must stay inside the source`, {
      path: raw,
    });
  }
  const path = segments.join('/');
  if (
    Buffer.byteLength(path) > SOURCE_PATH_MAX_BYTES ||
    segments.some((segment) => Buffer.byteLength(segment) > SOURCE_PATH_SEGMENT_MAX_BYTES)
  ) {
    throw invalid(
      `${label} ${raw.slice(0, 80)}… has too long a path: at most ${SOURCE_PATH_MAX_BYTES} bytes, ${SOURCE_PATH_SEGMENT_MAX_BYTES} per name`,
      { path: raw },
    );
  }
  return path;
}

/** Files that archivers add by themselves and that are no part of anyone's source. */
function isJunkPath(path: string): boolean {
  const segments = path.split('/');
  const base = segments[segments.length - 1];
  return segments[0] === '__MACOSX' || base === '.DS_Store' || base.startsWith('._');
}

const APPLE_DOUBLE_MAGIC = Buffer.from([0x00, 0x05, 0x16, 0x07]);

function isJunkFile(file: SourceFile): boolean {
  const base = file.path.slice(file.path.lastIndexOf('/') + 1);
  if (file.path.split('/')[0] === '__MACOSX' || base === '.DS_Store') return true;
  // `._name`: macOS AppleDouble metadata (tar without COPYFILE_DISABLE); a real `._name` file stays.
  return base.startsWith('._') && file.content.subarray(0, 4).equals(APPLE_DOUBLE_MAGIC);
}

/** Receives one file's bytes as they inflate, counting them against the limits. */
export interface SourceFileSink {
  readonly path: string;
  write(chunk: Buffer): void;
  end(mode: number | undefined): void;
}

/**
 * Collects the entries of an archive or upload into a {@link SourceTree}, enforcing the path rules
 * and the limits as bytes arrive. Readers call {@link entry} for every entry, {@link beginFile} for
 * regular files, and {@link build} at the end; every refusal is a DispatchError naming the entry.
 */
export class SourceTreeBuilder {
  private readonly files = new Map<string, SourceFile>();
  private entries = 0;
  private fileCount = 0;
  private totalBytes = 0;
  /** An entry named the root itself (`./`): the paths are as meant, no folder to strip. */
  private rooted = false;
  private readonly label: string;

  constructor(
    private readonly origin: SourceOrigin,
    readonly limits: SourceLimits = sourceLimits(),
  ) {
    this.label = origin === 'archive' ? 'archive entry' : 'file';
  }

  /** Counts one entry of any kind and answers its normalised path ('' for the root). */
  entry(rawPath: string): string {
    this.entries += 1;
    if (this.entries > 2 * this.limits.maxFiles) {
      const { maxFiles } = this.limits;
      throw tooLarge(`${this.origin} holds more than ${2 * maxFiles} entries: the limit is ${maxFiles} files and twice as many entries`, {
        limit: 'maxFiles',
        maxFiles,
      });
    }
    const path = normaliseSourcePath(rawPath, this.label);
    if (path === '') this.rooted = true;
    return path;
  }

  /** Refuses an entry that is not a regular file or directory (symlink, hard link, device…). */
  refuse(rawPath: string, kind: 'symlink' | 'hardlink' | 'special' | 'unsupported', type?: string): never {
    const typeNote = type ? ` (${type})` : '';
    const messages = {
      symlink: `${this.origin} contains a symlink ${rawPath}: replace it with the file`,
      hardlink: `${this.origin} contains a hard link ${rawPath}: replace it with the file`,
      special: `${this.origin} contains a device or special file ${rawPath}${typeNote}: only regular files and directories are allowed`,
      unsupported: `${this.label} ${rawPath} has an unsupported type${typeNote}: only regular files and directories are allowed`,
    };
    throw invalid(messages[kind], { path: rawPath, kind, ...(type ? { type } : {}) });
  }

  /**
   * A regular file starts: checks its path (already counted by {@link entry}), the file count and
   * the size its header declares (refusing early; the bytes are counted again as they arrive).
   */
  beginFile(path: string, declaredSize?: number): SourceFileSink {
    if (path === '') throw invalid(`${this.origin} holds a file without a name`);
    if (!isJunkPath(path)) {
      this.fileCount += 1;
      if (this.fileCount > this.limits.maxFiles) throw this.tooManyFiles();
    }
    if (this.files.has(path)) throw invalid(`${this.origin} holds ${path} twice`, { path });
    if (declaredSize !== undefined) {
      this.checkFileSize(path, declaredSize);
      this.checkTreeSize(this.totalBytes + declaredSize);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let ended = false;
    return {
      path,
      write: (chunk: Buffer) => {
        size += chunk.length;
        this.totalBytes += chunk.length;
        this.checkFileSize(path, size);
        this.checkTreeSize(this.totalBytes);
        chunks.push(chunk);
      },
      end: (mode: number | undefined) => {
        if (ended) return;
        ended = true;
        if (this.files.has(path)) throw invalid(`${this.origin} holds ${path} twice`, { path });
        this.files.set(path, { path, mode: sourceFileMode(mode), content: Buffer.concat(chunks, size) });
      },
    };
  }

  /**
   * The tree: junk dropped, sorted; refuses an empty one. When every file sits under one top-level
   * directory (`hello/index.js`, as `tar czf hello.tgz hello/` or a zipped folder give) that
   * directory is stripped, unless an entry named the root itself (`./`, as `tar -C hello .` and
   * {@link packTree} write): then the paths are already relative to the source root.
   */
  build(): SourceTree {
    let files = [...this.files.values()].filter((file) => !isJunkFile(file));
    if (files.length === 0) throw invalid(`${this.origin} holds no files`);
    if (files.length > this.limits.maxFiles) throw this.tooManyFiles();
    const first = files[0].path.split('/')[0];
    if (!this.rooted && files.every((file) => file.path.startsWith(`${first}/`))) {
      files = files.map((file) => ({ ...file, path: file.path.slice(first.length + 1) }));
    }
    files.sort((a, b) => comparePaths(a.path, b.path));
    const paths = new Set(files.map((file) => file.path));
    for (const file of files) {
      for (let cut = file.path.indexOf('/'); cut !== -1; cut = file.path.indexOf('/', cut + 1)) {
        const parent = file.path.slice(0, cut);
        if (paths.has(parent)) {
          throw invalid(`${this.origin} holds ${parent} both as a file and as a directory (${file.path})`, { path: parent });
        }
      }
    }
    return { files };
  }

  private tooManyFiles(): DispatchError {
    const { maxFiles } = this.limits;
    return tooLarge(`${this.origin} holds more than ${maxFiles} files: the limit is ${maxFiles} files`, { limit: 'maxFiles', maxFiles });
  }

  private checkFileSize(path: string, size: number): void {
    if (size > this.limits.maxFileBytes) {
      throw tooLarge(`file ${path} is larger than the ${formatBytes(this.limits.maxFileBytes)} limit on one file`, {
        path,
        limit: 'maxFileBytes',
        maxFileBytes: this.limits.maxFileBytes,
      });
    }
  }

  private checkTreeSize(total: number): void {
    if (total > this.limits.maxTreeBytes) {
      throw tooLarge(`the extracted source is larger than the ${formatBytes(this.limits.maxTreeBytes)} limit on a function's source`, {
        limit: 'maxTreeBytes',
        maxTreeBytes: this.limits.maxTreeBytes,
      });
    }
  }
}

/**
 * The tree of a multipart directory upload: the same path rules, junk filter, top-level directory
 * stripping and limits as {@link readArchive}; refusals are INVALID_ARCHIVE / PAYLOAD_TOO_LARGE.
 */
export function treeFromFiles(files: readonly SourceFileInput[], limits?: Partial<SourceLimits>): SourceTree {
  const builder = new SourceTreeBuilder('upload', sourceLimits(limits));
  for (const file of files) {
    const path = builder.entry(file.path);
    const sink = builder.beginFile(path, file.content.length);
    sink.write(file.content);
    sink.end(file.mode ?? 0o644);
  }
  return builder.build();
}
