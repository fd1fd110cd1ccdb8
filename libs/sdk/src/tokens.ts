import { createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

/** Gives the bearer token of each request; called before every request, so it may cache and refresh. */
export type TokenProvider = () => string | Promise<string>;

export interface ServiceAccountKey {
  /** The organization the service account belongs to. */
  org: string;
  /** The service account's name. */
  name: string;
  /** The PEM private key whose public half is registered on the account (RS256). */
  privateKeyPem: string | KeyObject;
  /** Lifetime of each token in seconds; the server refuses more than an hour. Default 300. */
  lifetimeSeconds?: number;
  /** A new token is signed when the current one has fewer seconds than this left. Default 60, capped at half the lifetime. */
  refreshBeforeSeconds?: number;
  /** The clock, in milliseconds (tests). */
  now?: () => number;
}

/** The longest token the server accepts from a service account. */
export const SERVICE_ACCOUNT_TOKEN_MAX_SECONDS = 3600;

/**
 * Tokens of a service account, signed with its own key as the server expects them: an RS256 JWT
 * with `iss` = `<org>/<name>`, `sub` = `<name>`, `iat` and `exp`. One token is reused until it is
 * close to expiry; concurrent requests then share the one new token.
 */
export function serviceAccountTokenProvider(key: ServiceAccountKey): TokenProvider {
  const lifetime = key.lifetimeSeconds ?? 300;
  if (!Number.isInteger(lifetime) || lifetime < 2 || lifetime > SERVICE_ACCOUNT_TOKEN_MAX_SECONDS)
    throw new RangeError(`lifetimeSeconds must be an integer from 2 to ${SERVICE_ACCOUNT_TOKEN_MAX_SECONDS}, got ${lifetime}`);
  const refreshBefore = Math.min(key.refreshBeforeSeconds ?? 60, lifetime / 2);
  const privateKey = typeof key.privateKeyPem === 'string' ? createPrivateKey(key.privateKeyPem) : key.privateKeyPem;
  const now = key.now ?? Date.now;
  let current: { token: Promise<string>; expiresAt: number } | undefined;

  return () => {
    const nowSec = now() / 1000;
    if (!current || current.expiresAt - nowSec < refreshBefore) {
      const iat = Math.floor(nowSec);
      const expiresAt = iat + lifetime;
      const token = new SignJWT({})
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer(`${key.org}/${key.name}`)
        .setSubject(key.name)
        .setIssuedAt(iat)
        .setExpirationTime(expiresAt)
        .sign(privateKey);
      current = { token, expiresAt };
      // A failed signature is not cached: the next request tries again.
      token.catch(() => {
        if (current?.token === token) current = undefined;
      });
    }
    return current.token;
  };
}
