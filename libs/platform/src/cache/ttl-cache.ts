interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A bounded map whose entries expire: what a service keeps of another's answers (a function's
 * spec, an org's quotas, a verified credential) for a while instead of asking on every request.
 * Past `maxEntries` the oldest entry goes first.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly maxEntries = 10_000) {}

  /** The value while it is fresh. */
  get(key: string, now = Date.now()): V | undefined {
    const entry = this.entries.get(key);
    return entry && entry.expiresAt > now ? entry.value : undefined;
  }

  /** The value even once expired (until evicted): a last known answer when asking again fails. */
  stale(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Keeps `value` until `expiresAt` (ms since the epoch); one already expired is not kept. */
  setUntil(key: string, value: V, expiresAt: number, now = Date.now()): void {
    if (expiresAt <= now) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, expiresAt });
  }

  set(key: string, value: V, ttlMs: number, now = Date.now()): void {
    this.setUntil(key, value, now + ttlMs, now);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
