import { type OpenFaasLogEntry, RUN_LOG_MAX_LINE_LENGTH } from '@dispatch/contracts';

/** Longest line kept, in characters: the same cut the runs' logs use. */
export const LOG_LINE_MAX_LENGTH = RUN_LOG_MAX_LINE_LENGTH;

export interface LogFollower {
  entry(entry: OpenFaasLogEntry): void;
  end(): void;
}

/**
 * The recent log lines of one function: what its workers wrote to stdout/stderr (outside calls:
 * the shims capture output during a call into its reply) and the provider's lifecycle lines
 * (started, ready, exited with code 3: handler error…), served by GET /system/logs.
 * Bounded: the oldest lines go first.
 */
export class LogBuffer {
  private entries: OpenFaasLogEntry[] = [];
  private readonly followers = new Set<LogFollower>();

  constructor(
    readonly name: string,
    readonly namespace: string,
    private readonly capacity: number,
  ) {}

  append(instance: string, text: string, at: Date = new Date()): void {
    const entry: OpenFaasLogEntry = {
      name: this.name,
      namespace: this.namespace,
      instance,
      timestamp: at.toISOString(),
      text: text.length > LOG_LINE_MAX_LENGTH ? `${text.slice(0, LOG_LINE_MAX_LENGTH)}…` : text,
    };
    this.entries.push(entry);
    // Trim in batches: one splice per capacity/2 appends instead of a shift per line.
    if (this.entries.length > this.capacity * 1.5) this.entries = this.entries.slice(-this.capacity);
    for (const follower of this.followers) follower.entry(entry);
  }

  /** Lines at or after `since`, the last `tail` of them (tail ≤ 0 or absent = all). */
  query({ tail, since }: { tail?: number; since?: Date } = {}): OpenFaasLogEntry[] {
    let lines = this.entries.length > this.capacity ? this.entries.slice(-this.capacity) : this.entries;
    if (since) {
      const from = since.getTime();
      lines = lines.filter((e) => Date.parse(e.timestamp) >= from);
    }
    if (tail !== undefined && tail > 0 && lines.length > tail) lines = lines.slice(-tail);
    return lines.slice();
  }

  /** Hands `follower` every line appended from now on (follow=true); returns the unsubscribe. */
  subscribe(follower: LogFollower): () => void {
    this.followers.add(follower);
    return () => this.followers.delete(follower);
  }

  /** Ends every follower (the function was deleted or the provider stops). */
  close(): void {
    for (const follower of this.followers) follower.end();
    this.followers.clear();
  }
}
