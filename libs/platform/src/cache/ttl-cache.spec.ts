import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  it('serves a value until it expires, and the last one known after', () => {
    const cache = new TtlCache<string>();
    cache.set('a', 'one', 100, 1000);
    expect(cache.get('a', 1099)).toBe('one');
    expect(cache.get('a', 1100)).toBeUndefined();
    expect(cache.stale('a')).toBe('one');
    cache.delete('a');
    expect(cache.stale('a')).toBeUndefined();
  });

  it('keeps nothing already expired, and drops the oldest entry past its bound', () => {
    const cache = new TtlCache<number>(2);
    cache.setUntil('gone', 1, 500, 1000);
    expect(cache.stale('gone')).toBeUndefined();
    cache.set('a', 1, 100, 1000);
    cache.set('b', 2, 100, 1000);
    cache.set('a', 3, 100, 1000);
    cache.set('c', 4, 100, 1000);
    expect([cache.get('a', 1000), cache.get('b', 1000), cache.get('c', 1000)]).toEqual([3, undefined, 4]);
  });
});
