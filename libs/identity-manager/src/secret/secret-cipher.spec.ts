import { randomBytes } from 'node:crypto';
import {
  associatedDataOf,
  decrypt,
  encrypt,
  IV_BYTES,
  type SealedSecret,
  SecretCipher,
  SecretDecryptionError,
  TAG_BYTES,
} from './secret-cipher';
import type { SecretKeyring } from './secret-key';

function keyringOf(key: Buffer, version = 1): SecretKeyring {
  return { current: { version, key }, source: 'test', key: (v) => (v === version ? key : undefined) };
}

const flipped = (b: Buffer, at = 0) => {
  const copy = Buffer.from(b);
  copy[at] ^= 0x01;
  return copy;
};

describe('secret cipher (AES-256-GCM)', () => {
  const values = { DB_PASSWORD: 'hunter2-correct-horse', API_TOKEN: 'tok_ünïcødé_✓' };
  const cipher = new SecretCipher(keyringOf(randomBytes(32)));
  let sealed: SealedSecret;

  beforeEach(() => {
    sealed = cipher.seal('acme', 'db', values);
  });

  it('round-trips a key/value set and keeps no plaintext in what it stores', () => {
    expect(cipher.open('acme', 'db', sealed)).toEqual(values);
    expect(sealed.iv).toHaveLength(IV_BYTES);
    expect(sealed.tag).toHaveLength(TAG_BYTES);
    expect(sealed.keyVersion).toBe(1);
    const stored = Buffer.concat([sealed.ciphertext, sealed.iv, sealed.tag]);
    for (const text of [...Object.keys(values), ...Object.values(values)]) expect(stored.includes(Buffer.from(text))).toBe(false);
  });

  it('uses a fresh IV for every write', () => {
    const again = cipher.seal('acme', 'db', values);
    expect(again.iv.equals(sealed.iv)).toBe(false);
    expect(again.ciphertext.equals(sealed.ciphertext)).toBe(false);
  });

  it.each([
    ['a flipped ciphertext byte', (s: SealedSecret) => ({ ...s, ciphertext: flipped(s.ciphertext, 3) })],
    ['a flipped tag byte', (s: SealedSecret) => ({ ...s, tag: flipped(s.tag, 15) })],
    ['a truncated tag', (s: SealedSecret) => ({ ...s, tag: s.tag.subarray(0, 12) })],
    ['a flipped IV byte', (s: SealedSecret) => ({ ...s, iv: flipped(s.iv) })],
    ['a truncated ciphertext', (s: SealedSecret) => ({ ...s, ciphertext: s.ciphertext.subarray(0, s.ciphertext.length - 1) })],
  ])('refuses %s', (_what, tamper) => {
    expect(() => cipher.open('acme', 'db', tamper(sealed))).toThrow(SecretDecryptionError);
  });

  it('binds a ciphertext to its org and name (AAD): a copy under another row does not decrypt', () => {
    expect(() => cipher.open('acme', 'db2', sealed)).toThrow(SecretDecryptionError);
    expect(() => cipher.open('beta', 'db', sealed)).toThrow(
      /secret "db" of org "beta" cannot be decrypted: wrong key, or the stored row was altered or copied/,
    );
  });

  it('refuses another key and an unknown key version', () => {
    expect(() => new SecretCipher(keyringOf(randomBytes(32))).open('acme', 'db', sealed)).toThrow(SecretDecryptionError);
    expect(() => cipher.open('acme', 'db', { ...sealed, keyVersion: 2 })).toThrow(/key version 2, which this process does not hold/);
  });

  it('never puts a value into its errors', () => {
    try {
      cipher.open('acme', 'other', sealed);
      throw new Error('opened');
    } catch (err) {
      const text = `${(err as Error).message} ${(err as Error).stack ?? ''}`;
      for (const v of Object.values(values)) expect(text).not.toContain(v);
    }
  });

  it('low level: decrypt fails on any AAD change', () => {
    const key = randomBytes(32);
    const box = encrypt(key, Buffer.from('payload'), associatedDataOf('acme', 'x'));
    expect(decrypt(key, box, associatedDataOf('acme', 'x')).toString()).toBe('payload');
    expect(() => decrypt(key, box, associatedDataOf('acme', 'y'))).toThrow();
    expect(() => decrypt(key, box, Buffer.alloc(0))).toThrow();
  });
});
