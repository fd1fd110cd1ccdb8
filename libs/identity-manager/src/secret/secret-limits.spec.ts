import { assertSecretSize, SECRET_MAX_BYTES, secretSizeOf } from './secret-limits';
import { secretBody } from './secret.dto';

describe('secret limits', () => {
  it('accepts environment-style keys and refuses others, naming the key', () => {
    const ok = secretBody.safeParse({ name: 'db', secrets: { A: '', _x: 'v', 'a.b-c_9': 'v', ['k'.repeat(253)]: 'v' } });
    expect(ok.success).toBe(true);
    for (const bad of ['9lives', '.env', '-x', 'has space', 'ä', '', 'k'.repeat(254)]) {
      const result = secretBody.safeParse({ name: 'db', secrets: { [bad]: 'v' } });
      expect(result.success).toBe(false);
      expect(result.error!.issues[0]).toMatchObject({
        path: ['secrets', bad],
        message: expect.stringContaining('^[A-Za-z_][A-Za-z0-9_.-]{0,252}$'),
      });
    }
  });

  it('takes string values only, at most 256 keys, and defaults tags', () => {
    expect(secretBody.safeParse({ name: 'db', secrets: { A: 1 } }).error!.issues[0]).toMatchObject({
      path: ['secrets', 'A'],
      message: 'each value must be a string',
    });
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`K${i}`, 'v']));
    expect(secretBody.safeParse({ name: 'db', secrets: many(256) }).success).toBe(true);
    expect(secretBody.safeParse({ name: 'db', secrets: many(257) }).error!.issues[0]).toMatchObject({
      path: ['secrets'],
      message: 'at most 256 keys per secret',
    });
    expect(secretBody.parse({ name: 'db', secrets: {} }).tags).toEqual([]);
    expect(secretBody.safeParse({ name: 'db', secrets: {}, extra: 1 }).success).toBe(false);
  });

  it('counts UTF-8 bytes of keys and values against 64 KiB', () => {
    expect(secretSizeOf({ AB: 'é✓' })).toBe(2 + 2 + 3);
    expect(() => assertSecretSize('db', { K: 'x'.repeat(SECRET_MAX_BYTES - 1) })).not.toThrow();
    const value = 'y'.repeat(SECRET_MAX_BYTES);
    let error: unknown;
    try {
      assertSecretSize('db', { K: value });
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { sizeBytes: SECRET_MAX_BYTES + 1, limitBytes: 65536 } });
    expect((error as Error).message).toMatch(/65537 bytes .* at most 65536 bytes \(64 KiB\)/);
    expect((error as Error).message).not.toContain('yyyy');
  });
});
