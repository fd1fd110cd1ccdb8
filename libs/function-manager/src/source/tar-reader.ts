import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';
import { formatBytes } from './limits';
import type { SourceTreeBuilder } from './source-tree';

const BLOCK = 512;

/** True when `block` (the first 512 bytes of a tar) is a POSIX or GNU ustar header. */
export function hasUstarMagic(bytes: Buffer): boolean {
  return bytes.length >= 263 && bytes.toString('latin1', 257, 262) === 'ustar';
}

export function isAllZero(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 0) return false;
  return true;
}

export function notAnArchive(): DispatchError {
  return new DispatchError(ErrorCode.INVALID_ARCHIVE, 'source is not a tar.gz, tar or zip archive');
}

function damaged(reason: string): DispatchError {
  return new DispatchError(ErrorCode.INVALID_ARCHIVE, `archive is damaged: ${reason}`);
}

/**
 * Feeds a tar stream, chunk by chunk, to node-tar's Parser and each of its entries to the
 * builder. node-tar reads headers, pax extended headers and GNU long names; this class decides
 * what an entry may be. The Parser runs synchronously on each write, so a refusal (thrown by the
 * builder) is caught here, the Parser aborted, and the refusal thrown before write returns.
 */
class TarSink {
  private readonly parser: Parser;
  private head: Buffer | undefined = Buffer.alloc(0);
  private sawEnd = false;
  private failure: DispatchError | undefined;
  /** The first block is all zeros: an empty tar (its end-of-archive marker) or nothing. */
  private headWasZero = false;

  constructor(private readonly builder: SourceTreeBuilder) {
    // strict: a checksum failure or a truncated entry is an error, not a warning to skip past.
    this.parser = new Parser({ strict: true, zstd: false, brotli: false });
    this.parser.on('entry', (entry: ReadEntry) => this.guard(() => this.onEntry(entry)));
    this.parser.on('ignoredEntry', (entry: ReadEntry) => this.guard(() => this.builder.refuse(entry.path, 'unsupported', entry.type)));
    this.parser.on('error', (error: Error) => {
      // A tar of only end-of-archive blocks: build() says "archive holds no files".
      if (this.headWasZero && /Unrecognized archive format/.test(error.message)) return;
      this.fail(damaged(error.message.replace(/^TAR_[A-Z_]+: /, '')));
    });
    this.parser.on('end', () => (this.sawEnd = true));
  }

  /** Writes a chunk; throws the first refusal. */
  write(chunk: Buffer): void {
    this.throwIfFailed();
    if (this.head !== undefined) {
      // Sniff the first header before node-tar does: node-tar would also inflate a gzip or zstd
      // stream it finds there, which must not happen to a stream already counted as plain tar.
      const head = this.head.length ? Buffer.concat([this.head, chunk]) : chunk;
      if (head.length < BLOCK) {
        this.head = head;
        return;
      }
      this.head = undefined;
      this.checkFirstBlock(head.subarray(0, BLOCK));
      chunk = head;
    }
    this.guard(() => this.parser.write(chunk));
    this.throwIfFailed();
  }

  /** Ends the stream; throws the first refusal. */
  end(): void {
    this.throwIfFailed();
    if (this.head !== undefined) {
      if (this.head.length === 0 || isAllZero(this.head)) {
        this.headWasZero = true;
      } else if (hasUstarMagic(this.head)) {
        throw damaged('it ends inside the first tar header');
      } else {
        throw notAnArchive();
      }
      this.head = undefined;
    } else {
      this.guard(() => this.parser.end());
    }
    this.throwIfFailed();
    if (!this.sawEnd && !this.headWasZero) throw damaged('the tar stream ends early');
  }

  private checkFirstBlock(block: Buffer): void {
    if (isAllZero(block)) {
      this.headWasZero = true;
    } else if (!hasUstarMagic(block)) {
      throw notAnArchive();
    }
  }

  private onEntry(entry: ReadEntry): void {
    try {
      this.takeEntry(entry);
    } finally {
      // Every entry must flow, or the Parser waits for it forever.
      entry.resume();
    }
  }

  private takeEntry(entry: ReadEntry): void {
    const path = this.builder.entry(entry.path);
    switch (entry.type) {
      case 'File':
      case 'OldFile':
      case 'ContiguousFile': {
        const sink = this.builder.beginFile(path, entry.size);
        entry.on('data', (chunk: Buffer) => this.guard(() => sink.write(chunk)));
        entry.on('end', () => this.guard(() => sink.end(entry.mode)));
        return;
      }
      case 'Directory':
      case 'GNUDumpDir':
        return;
      case 'SymbolicLink':
        return this.builder.refuse(entry.path, 'symlink');
      case 'Link':
        return this.builder.refuse(entry.path, 'hardlink');
      case 'CharacterDevice':
      case 'BlockDevice':
      case 'FIFO':
        return this.builder.refuse(entry.path, 'special', entry.type);
      default:
        return this.builder.refuse(entry.path, 'unsupported', entry.type);
    }
  }

  private guard(step: () => void): void {
    if (this.failure !== undefined) return;
    try {
      step();
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    if (this.failure !== undefined) return;
    // A refusal stays as it is; anything node-tar itself throws means the tar is not readable.
    const failure = error instanceof DispatchError ? error : damaged(error instanceof Error ? error.message : String(error));
    this.failure = failure;
    // Stops the Parser; it reports the abort as one more error, which fail() ignores.
    this.parser.abort(failure);
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}

/** Reads a plain tar held in memory. */
export function readTar(bytes: Buffer, builder: SourceTreeBuilder): void {
  const sink = new TarSink(builder);
  sink.write(bytes);
  sink.end();
}

/**
 * Reads a tar.gz, inflating it as a stream: the bytes of tar are counted as they come out of zlib
 * and the reading stops past `maxTreeBytes + 4 KiB × maxFiles` (headers and padding on top of the
 * files), so a gzip bomb costs at most that much work and never sits in memory whole.
 */
export async function readTarGz(bytes: Buffer, builder: SourceTreeBuilder): Promise<void> {
  const { maxTreeBytes, maxFiles } = builder.limits;
  const maxTarBytes = maxTreeBytes + 4096 * maxFiles;
  const sink = new TarSink(builder);
  const gunzip = createGunzip();
  gunzip.end(bytes);
  let inflated = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      inflated += chunk.length;
      if (inflated > maxTarBytes) {
        throw new DispatchError(
          ErrorCode.PAYLOAD_TOO_LARGE,
          `archive inflates past ${formatBytes(maxTarBytes)} of tar, more than a source of at most ${formatBytes(maxTreeBytes)} can take`,
          { limit: 'maxTreeBytes', maxTreeBytes },
        );
      }
      sink.write(chunk);
    }
  } catch (error) {
    if (error instanceof DispatchError) throw error;
    throw damaged(`gzip: ${(error as Error).message}`);
  } finally {
    gunzip.destroy();
  }
  sink.end();
}
