import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 1000, 10_000))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('stays finite after very many failures', () => {
    expect(backoffDelay(10_000, 1000, 30_000)).toBe(30_000);
  });
});
