/** Gives back a slot; calling it again does nothing. */
export type Release = () => void;

/** Counts what is in progress per key (an org, a function); the caller compares with its limit. */
export class KeyedSlots {
  private readonly taken = new Map<string, number>();

  count(key: string): number {
    return this.taken.get(key) ?? 0;
  }

  /** A slot regardless of any limit: work that may not wait (a blocking call) still counts. */
  takeAnyway(key: string): Release {
    this.taken.set(key, this.count(key) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.count(key) - 1;
      if (left > 0) this.taken.set(key, left);
      else this.taken.delete(key);
    };
  }

  tryTake(key: string, limit: number): Release | undefined {
    return this.count(key) < limit ? this.takeAnyway(key) : undefined;
  }
}
