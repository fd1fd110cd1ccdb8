import { advisoryLockKey } from './advisory-lock-key';

describe('advisoryLockKey', () => {
  it('is a stable signed 64-bit integer per name', () => {
    const key = advisoryLockKey('dispatch:migrations');
    expect(key).toBe(advisoryLockKey('dispatch:migrations'));
    expect(key).toMatch(/^-?\d+$/);
    const n = BigInt(key);
    expect(n >= -(2n ** 63n) && n < 2n ** 63n).toBe(true);
  });

  it('differs between names', () => {
    expect(advisoryLockKey('dispatch:outbox:identity.outbox')).not.toBe(advisoryLockKey('dispatch:outbox:functions.outbox'));
  });
});
