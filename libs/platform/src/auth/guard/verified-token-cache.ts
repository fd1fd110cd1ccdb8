import type { Principal } from '@dispatch/contracts';

interface Entry {
  principal: Principal;
  expiresAt: number;
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
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly maxAgeMs = 5 * 60_000,
  ) {}

  get(token: string, revision: number, now = Date.now()): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.revision !== revision || entry.expiresAt <= now) {
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
    if (expiresAt <= now) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, { principal, expiresAt, revision });
  }
}
