/**
 * Turns output chunks into whole lines: a chunk may end mid-line or carry several lines,
 * and one log record per PostgreSQL line keeps the log greppable.
 */
export class LineSplitter {
  private partial = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    const lines = (this.partial + chunk).split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) this.onLine(line);
  }

  flush(): void {
    if (this.partial.trim()) this.onLine(this.partial);
    this.partial = '';
  }
}
