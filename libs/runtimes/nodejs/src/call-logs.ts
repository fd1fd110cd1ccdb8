import { AsyncLocalStorage } from 'node:async_hooks';

// Copies of RUN_LOG_MAX_LINES / RUN_LOG_MAX_LINE_LENGTH (@dispatch/contracts): the shim runs
// inside function containers without the workspace, so it cannot import them at runtime.
// index.spec.ts holds the two in step.
export const MAX_LINES = 1000;
export const MAX_LINE_LENGTH = 4096;

/** The last kept line when a stream wrote more than MAX_LINES lines (the same text as the Python shim's). */
export function droppedLinesNotice(dropped: number): string {
  return `[${dropped} more lines dropped: a run keeps at most ${MAX_LINES} lines per stream]`;
}

/**
 * One stream of one call, kept as bounded lines. Memory stays bounded however much a function
 * writes: lines past the limit are only counted, and a line never grows past MAX_LINE_LENGTH.
 */
export class LineBuffer {
  private readonly lines: string[] = [];
  private partial = '';
  private dropped = 0;

  write(text: string): void {
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      this.append(text, start, newline);
      this.endLine();
      start = newline + 1;
    }
    this.append(text, start, text.length);
  }

  /** The call's lines, the unterminated last one included; the buffer is spent afterwards. */
  finish(): string[] {
    if (this.partial !== '') this.endLine();
    if (this.dropped > 0) {
      // The notice takes the place of the last line so the total stays within MAX_LINES.
      this.lines.pop();
      this.lines.push(droppedLinesNotice(this.dropped + 1));
    }
    return this.lines;
  }

  private append(text: string, from: number, to: number): void {
    const room = MAX_LINE_LENGTH - this.partial.length;
    if (to > from && room > 0) this.partial += text.slice(from, Math.min(to, from + room));
  }

  private endLine(): void {
    if (this.lines.length < MAX_LINES) {
      const line = this.partial;
      this.lines.push(line.endsWith('\r') ? line.slice(0, -1) : line);
    } else {
      this.dropped++;
    }
    this.partial = '';
  }
}

/** What one call wrote, and how to fail it from outside its promise chain. */
export class CallLogs {
  readonly stdout = new LineBuffer();
  readonly stderr = new LineBuffer();
  /** Once the reply is built, late output of the call's leftover timers goes to the real streams. */
  open = true;
  /** Fails the call: set while it runs, used for exceptions thrown where no promise can carry them. */
  fail: (err: unknown) => void = () => undefined;
}

/** The call whose async context is running now (see captureOutput). */
export const currentCall = new AsyncLocalStorage<CallLogs>();

type WriteCallback = (err?: Error | null) => void;
type Write = (chunk: string | Uint8Array, encoding?: BufferEncoding | WriteCallback, callback?: WriteCallback) => boolean;

/**
 * Routes process.stdout/stderr writes made inside a call (console.* included: the console calls
 * `stream.write` at each use) into that call's logs, found through AsyncLocalStorage so
 * concurrent calls keep their output apart. Writes outside any call reach the real stream.
 */
export function captureOutput(): void {
  route(process.stdout, (logs) => logs.stdout);
  route(process.stderr, (logs) => logs.stderr);
}

function route(stream: NodeJS.WriteStream, buffer: (logs: CallLogs) => LineBuffer): void {
  const real = stream.write.bind(stream) as Write;
  const write: Write = (chunk, encoding, callback) => {
    const logs = currentCall.getStore();
    if (logs === undefined || !logs.open) return real(chunk, encoding, callback);
    buffer(logs).write(typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString());
    const done = typeof encoding === 'function' ? encoding : callback;
    // Stream semantics: the callback never runs before write() returns.
    if (done) process.nextTick(done);
    return true;
  };
  stream.write = write as typeof stream.write;
}
