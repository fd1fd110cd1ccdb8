/**
 * The complete lines of `text` (a CR before the newline dropped) and what follows the last
 * newline: a line not finished yet, or a stream's cut-off end, which the caller judges.
 */
export function splitLines(text: string): { lines: string[]; rest: string } {
  const lines = text.split('\n');
  const rest = lines.pop() ?? '';
  return { lines: lines.map(withoutCr), rest };
}

const withoutCr = (line: string): string => (line.endsWith('\r') ? line.slice(0, -1) : line);

export interface LineSplitterOptions {
  /**
   * An unfinished line that grows longer than this is handed on as it stands, and what follows it
   * makes another line: a process writing megabytes without a newline must not grow the buffer
   * without bound. Unbounded when absent.
   */
  maxLineLength?: number;
  /** Drops lines of white space only (a server's log, where they say nothing). */
  skipBlank?: boolean;
}

/**
 * Turns a process's output, arriving in chunks that may end mid-line or carry several lines, into
 * whole lines.
 */
export class LineSplitter {
  private partial = '';

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly options: LineSplitterOptions = {},
  ) {}

  write(chunk: Buffer | string): void {
    const { lines, rest } = splitLines(this.partial + chunk.toString());
    this.partial = rest;
    const max = this.options.maxLineLength;
    if (max !== undefined && rest.length > max) {
      lines.push(withoutCr(rest));
      this.partial = '';
    }
    for (const line of lines) this.emit(line);
  }

  /** Hands on the unfinished last line, if any: the stream has ended. */
  end(): void {
    if (this.partial) this.emit(this.partial);
    this.partial = '';
  }

  private emit(line: string): void {
    if (this.options.skipBlank && !line.trim()) return;
    this.onLine(line);
  }
}
