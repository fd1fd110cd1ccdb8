import type { Principal } from '@dispatch/contracts';
import { TtlCache } from '../../cache/ttl-cache';

interface Entry {
  principal: Principal;
  revision: number;
}

/**
 * Principals of bearer credentials (JWTs, API keys) already verified, so a client reusing its
 * credential (the common case) costs a map lookup instead of a signature or hash check, and gets
 * the same principal object back, by which the Authorizer finds its decisions. An entry lives
 * until the credential expires (at most `maxAgeMs`) and dies when the identity snapshot moves, so
 * a deleted account, a revoked key or a changed binding takes effect at once. Bounded: the oldest
 * entries go first.
 */
export class VerifiedTokenCache {
  private readonly entries: TtlCache<Entry>;

  constructor(
    maxEntries = 10_000,
    private readonly maxAgeMs = 5 * 60_000,
  ) {
    this.entries = new TtlCache(maxEntries);
  }

  get(token: string, revision: number, now = Date.now()): Principal | undefined {
    const entry = this.entries.get(token, now);
    if (!entry) return undefined;
    if (entry.revision !== revision) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.principal;
  }

  /**
   * `expSec`: when the credential stops being valid, in seconds since the epoch (a JWT's verified
   * `exp`, an API key's expiry, Infinity for a key that never expires); undefined is never cached.
   */
  set(token: string, principal: Principal, expSec: number | undefined, revision: number, now = Date.now()): void {
    const expiresAt = Math.min(expSec === undefined ? now : expSec * 1000, now + this.maxAgeMs);
    this.entries.setUntil(token, { principal, revision }, expiresAt, now);
  }
}
