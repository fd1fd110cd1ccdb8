/** Gives back a slot; calling it again does nothing. */
export type Release = () => void;

/** How often a waiter looks again on its own: a limit may have grown with no slot given back. */
const RECHECK_MS = 1000;

/**
 * Counts what is in progress per key (an org, a function) against a limit given at each take.
 * `tryTake` answers at once; `take` waits, first come first served per key, until there is room.
 */
export class KeyedSlots {
  private readonly taken = new Map<string, number>();
  private readonly waiters = new Map<string, Array<() => void>>();

  count(key: string): number {
    return this.taken.get(key) ?? 0;
  }

  /** A slot regardless of the limit: work that may not wait (a blocking call) still counts. */
  takeAnyway(key: string): Release {
    this.taken.set(key, this.count(key) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.count(key) - 1;
      if (left > 0) this.taken.set(key, left);
      else this.taken.delete(key);
      this.waiters.get(key)?.[0]?.();
    };
  }

  tryTake(key: string, limit: number): Release | undefined {
    return this.count(key) < limit ? this.takeAnyway(key) : undefined;
  }

  /** Waits for room under `limit()`, asked again at each look so a changed limit applies. */
  async take(key: string, limit: () => number | Promise<number>): Promise<Release> {
    const queue = this.waiters.get(key);
    if (!queue?.length) {
      const now = this.tryTake(key, await limit());
      if (now) return now;
    }
    let wake!: () => void;
    const line = this.waiters.get(key) ?? [];
    this.waiters.set(key, line);
    let woken = new Promise<void>((resolve) => (wake = resolve));
    const me = () => wake();
    line.push(me);
    try {
      for (;;) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([woken, new Promise<void>((resolve) => (timer = setTimeout(resolve, RECHECK_MS)))]);
        clearTimeout(timer);
        woken = new Promise<void>((resolve) => (wake = resolve));
        if (line[0] !== me) continue;
        const slot = this.tryTake(key, await limit());
        if (slot) return slot;
      }
    } finally {
      line.splice(line.indexOf(me), 1);
      if (!line.length) this.waiters.delete(key);
      else line[0]();
    }
  }
}
