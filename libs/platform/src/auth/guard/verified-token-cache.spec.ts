import type { Principal } from '@dispatch/contracts';
import { VerifiedTokenCache } from './verified-token-cache';

const alice: Principal = { org: 'acme', subject: 'alice', groups: [], kind: 'user' };

describe('VerifiedTokenCache', () => {
  const now = 1_000_000_000_000;

  it('answers until the token expires', () => {
    const cache = new VerifiedTokenCache();
    cache.set('t', alice, now / 1000 + 30, 1, now);
    expect(cache.get('t', 1, now + 29_000)).toBe(alice);
    expect(cache.get('t', 1, now + 30_000)).toBeUndefined();
  });

  it('forgets everything when the identity snapshot moves', () => {
    const cache = new VerifiedTokenCache();
    cache.set('t', alice, now / 1000 + 3600, 1, now);
    expect(cache.get('t', 2, now)).toBeUndefined();
    expect(cache.get('t', 1, now)).toBeUndefined();
  });

  it('keeps an entry no longer than its cap, and never an expired token', () => {
    const cache = new VerifiedTokenCache(10, 60_000);
    cache.set('t', alice, now / 1000 + 3600, 1, now);
    expect(cache.get('t', 1, now + 61_000)).toBeUndefined();
    cache.set('old', alice, now / 1000 - 1, 1, now);
    expect(cache.get('old', 1, now)).toBeUndefined();
  });

  it('drops the oldest entry when full', () => {
    const cache = new VerifiedTokenCache(2);
    for (const t of ['a', 'b', 'c']) cache.set(t, alice, now / 1000 + 60, 1, now);
    expect(cache.get('a', 1, now)).toBeUndefined();
    expect(cache.get('c', 1, now)).toBe(alice);
  });
});
