import { generateKeyPair, type JsonWebKey, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint } from 'jose';

export type SigningAlg = 'RS256' | 'ES256' | 'EdDSA';

export const SIGNING_ALGS: readonly SigningAlg[] = ['RS256', 'ES256', 'EdDSA'];

/** One IdP signing key. The test process keeps the private half so it can forge look-alike tokens. */
export interface SigningKey {
  alg: SigningAlg;
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Private JWK with kid/alg/use, as oidc-provider's `jwks` configuration takes it. */
  privateJwk: JsonWebKey;
}

const generate = promisify(generateKeyPair);

async function keyPairFor(alg: SigningAlg): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  switch (alg) {
    case 'RS256':
      return generate('rsa', { modulusLength: 2048 });
    case 'ES256':
      return generate('ec', { namedCurve: 'P-256' });
    case 'EdDSA':
      return generate('ed25519', {});
  }
}

/** A fresh key for `alg`, its kid the RFC 7638 thumbprint (what most IdPs publish). */
export async function generateSigningKey(alg: SigningAlg): Promise<SigningKey> {
  const { privateKey, publicKey } = await keyPairFor(alg);
  const kid = await calculateJwkThumbprint(publicKey);
  return { alg, kid, privateKey, publicKey, privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}

/** One key per supported algorithm, RS256 first. */
export function generateSigningKeySet(): Promise<SigningKey[]> {
  return Promise.all(SIGNING_ALGS.map(generateSigningKey));
}
