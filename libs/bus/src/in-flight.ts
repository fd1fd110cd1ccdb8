/** Waits for `work` to settle, but no longer than `graceMs`; resolves whether it all settled. */
export async function settleWithin(work: Promise<unknown>[], graceMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), graceMs);
  });
  try {
    return await Promise.race([Promise.allSettled(work).then(() => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Tracks running handlers so close() can let them finish before the transport goes away. */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  track(work: Promise<unknown>): void {
    const tracked = work.finally(() => this.running.delete(tracked)).catch(() => undefined);
    this.running.add(tracked);
  }

  settle(graceMs: number): Promise<boolean> {
    return settleWithin([...this.running], graceMs);
  }
}
