import { generateKeyPairSync } from 'node:crypto';
import { canonicalPublicKeyPem } from './public-key';

describe('service-account public keys', () => {
  it('accepts an RSA key of 2048 bits, in PKCS#1 or SPKI, as canonical SPKI', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const spki = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const pkcs1 = publicKey.export({ format: 'pem', type: 'pkcs1' }).toString();
    expect(canonicalPublicKeyPem(pkcs1)).toBe(spki);
  });

  it.each([
    ['garbage', 'not a PEM'],
    ['-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', 'not a PEM'],
  ])('refuses %s', (pem, why) => {
    expect(() => canonicalPublicKeyPem(pem)).toThrow(
      expect.objectContaining({ code: 'INVALID_PUBLIC_KEY', message: expect.stringContaining(why) }),
    );
  });

  it('refuses a non-RSA key and a short RSA key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(() => canonicalPublicKeyPem(ec)).toThrow(/ec key, not RSA/);
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(() => canonicalPublicKeyPem(short)).toThrow(/1024 bits/);
  });
});
