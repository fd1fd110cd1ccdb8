import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { forgeToken } from './forge-token';
import { generateSigningKey } from './signing-keys';

describe('forgeToken', () => {
  const claims = {
    iss: 'https://idp.test',
    aud: 'https://dispatch.test/api',
    sub: 'alice',
    org: 'acme',
    exp: Math.floor(Date.now() / 1000) + 300,
  };

  it('crafts an unsigned token by hand for alg none', async () => {
    const token = await forgeToken({ alg: 'none' }, claims);
    const [header, payload, signature] = token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'none', typ: 'at+jwt' });
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toEqual(claims);
    expect(signature).toBe('');
  });

  it('signs with the given key unless the key is the fault', async () => {
    const signer = await generateSigningKey('ES256');
    const expired = await forgeToken({ expired: true }, claims, signer);
    expect(decodeProtectedHeader(expired)).toMatchObject({ alg: 'ES256', kid: signer.kid });
    await expect(jwtVerify(expired, signer.publicKey)).rejects.toThrow(/"exp" claim/);

    const evil = await forgeToken({ issuer: 'https://evil.test' }, claims, signer);
    await expect(jwtVerify(evil, signer.publicKey)).resolves.toMatchObject({ payload: { iss: 'https://evil.test', org: 'acme' } });

    const stranger = await forgeToken({ signedBy: 'unknown-key' }, claims, signer);
    expect(decodeProtectedHeader(stranger)).toMatchObject({ alg: 'ES256', kid: signer.kid });
    await expect(jwtVerify(stranger, signer.publicKey)).rejects.toThrow(/signature verification failed/);
  });

  it('keys HS256 with the signer public key PEM by default, or a guessed secret', async () => {
    const signer = await generateSigningKey('RS256');
    const confused = await forgeToken({ alg: 'HS256' }, claims, signer);
    const pem = signer.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    await expect(jwtVerify(confused, new TextEncoder().encode(pem))).resolves.toBeDefined();
    const guessed = await forgeToken({ alg: 'HS256', secret: 'changeme' }, claims);
    await expect(jwtVerify(guessed, new TextEncoder().encode('changeme'))).resolves.toBeDefined();
  });

  it('without a signer, signs with a throwaway key', async () => {
    const token = await forgeToken({ expired: true }, claims);
    expect(decodeJwt(token).exp).toBeLessThan(Date.now() / 1000 - 3000);
    expect(decodeProtectedHeader(token).alg).toBe('RS256');
  });
});
