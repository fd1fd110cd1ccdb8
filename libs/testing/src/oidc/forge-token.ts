import type { KeyObject } from 'node:crypto';
import { SignJWT, base64url, type JWTPayload } from 'jose';
import { generateSigningKey, type SigningAlg } from './signing-keys';

/** The one thing wrong with a forged token (the tenant probe suite sends one of each). */
export type TokenFault =
  /** Unsigned: header `{"alg":"none"}` and an empty signature. */
  | { alg: 'none' }
  /** HMAC-signed; by default keyed with the IdP's public key PEM (the classic key-confusion attack). */
  | { alg: 'HS256'; secret?: string }
  /** Signed by a key the IdP never published, under the IdP's current kid unless `kid` is given. */
  | { signedBy: 'unknown-key'; kid?: string }
  /** Claims another issuer, signed by the given (real) key. */
  | { issuer: string }
  /** Expired an hour ago, well beyond any clock skew allowance. */
  | { expired: true };

/** The key a forged token is signed with, when the fault is not the key itself. */
export interface ForgeSigner {
  alg: SigningAlg;
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const FORGED_TYP = 'at+jwt';

function unsigned(claims: JWTPayload): string {
  const encode = (value: object) => base64url.encode(JSON.stringify(value));
  return `${encode({ alg: 'none', typ: FORGED_TYP })}.${encode(claims)}.`;
}

/**
 * A token wrong in exactly one way. Given the IdP's real key as `signer`, everything except the
 * fault is what a real token carries, so a refusal proves that one check. Without a signer, a
 * throwaway key signs it — the token is then also signed by an unknown key.
 */
export async function forgeToken(fault: TokenFault, claims: JWTPayload, signer?: ForgeSigner): Promise<string> {
  const payload: JWTPayload = { ...claims };
  if ('expired' in fault) {
    const now = Math.floor(Date.now() / 1000);
    payload.exp = now - 3600;
    payload.iat = payload.exp - 300;
  }
  if ('issuer' in fault) payload.iss = fault.issuer;

  if ('alg' in fault && fault.alg === 'none') return unsigned(payload);
  if ('alg' in fault && fault.alg === 'HS256') {
    const secret = fault.secret ?? (signer?.publicKey.export({ type: 'spki', format: 'pem' }) as string | undefined) ?? 'secret';
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', typ: FORGED_TYP, ...(signer ? { kid: signer.kid } : {}) })
      .sign(new TextEncoder().encode(secret));
  }

  let key = signer;
  if ('signedBy' in fault || !key) {
    const stranger = await generateSigningKey(signer?.alg ?? 'RS256');
    const kid = 'signedBy' in fault ? (fault.kid ?? signer?.kid ?? stranger.kid) : stranger.kid;
    key = { ...stranger, kid };
  }
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, typ: FORGED_TYP, kid: key.kid }).sign(key.privateKey);
}
