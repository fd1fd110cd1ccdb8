import type { KeyObject } from 'node:crypto';
import { jwtVerify } from 'jose';
import type { Principal } from '@dispatch/contracts';
import { quoted, refusalOf, unauthenticated } from './refusal';
import { peekJwt } from './unverified-jwt';

export interface ServiceAccountTokenVerifierOptions {
  /** The account's registered public key, or undefined when there is no such account. */
  publicKeyOf(org: string, account: string): Promise<KeyObject | undefined> | KeyObject | undefined;
  /** Allowance for clock skew on `exp`/`nbf`/`iat`. */
  clockToleranceSec?: number;
  /** Longest accepted `exp - iat`: a leaked self-signed token must not live long. */
  maxLifetimeSec?: number;
  /** When set, tokens must carry it in `aud`. */
  audience?: string;
}

// `<org>/<account>`: exactly one slash, neither side empty.
const ISSUER = /^([^/]+)\/([^/]+)$/;

function duration(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? '1 hour' : `${seconds / 3600} hours`;
  return `${seconds} s`;
}

/**
 * Verifies the JWTs service accounts sign themselves (DESIGN §9): RS256 with the account's private
 * key, `iss` = `<org>/<account>`, short-lived (`exp` and `iat` required, lifetime bounded).
 */
export class ServiceAccountTokenVerifier {
  private readonly clockToleranceSec: number;
  private readonly maxLifetimeSec: number;

  constructor(private readonly options: ServiceAccountTokenVerifierOptions) {
    this.clockToleranceSec = options.clockToleranceSec ?? 60;
    this.maxLifetimeSec = options.maxLifetimeSec ?? 3600;
  }

  async verify(token: string): Promise<Principal> {
    const { header, payload } = peekJwt(token);
    if (header.alg !== 'RS256') {
      throw unauthenticated(
        `service-account tokens must be signed with RS256, this one is signed with ${quoted(header.alg)}; sign it with the account's RSA private key`,
      );
    }
    const iss = payload.iss;
    const names = typeof iss === 'string' ? ISSUER.exec(iss) : null;
    if (typeof iss !== 'string' || !names) {
      throw unauthenticated(`service-account token issuer ${quoted(iss)} is not "<org>/<account>"; set iss to the account's org and name`);
    }
    const [, org, account] = names;
    const key = await this.options.publicKeyOf(org, account);
    if (!key) {
      throw unauthenticated(
        `service account "${account}" is not registered in org "${org}"; register its public key, or fix the token's iss`,
      );
    }
    if (key.type !== 'public' || key.asymmetricKeyType !== 'rsa') {
      throw unauthenticated(
        `service account "${account}" of org "${org}" has no RSA public key registered; register one to sign RS256 tokens`,
      );
    }

    const context = {
      signer: `service account ${iss}`,
      renew: `sign a new token with the private key of ${iss}`,
      audience: this.options.audience,
    };
    let verified;
    try {
      verified = await jwtVerify(token, key, {
        algorithms: ['RS256'],
        issuer: iss,
        clockTolerance: this.clockToleranceSec,
        requiredClaims: ['exp', 'iat'],
        // Also refuses an iat in the future, which would otherwise stretch the lifetime bound.
        maxTokenAge: this.maxLifetimeSec,
        ...(this.options.audience === undefined ? {} : { audience: this.options.audience }),
      });
    } catch (err) {
      throw refusalOf(err, context);
    }
    const { exp, iat } = verified.payload as { exp: number; iat: number };
    if (exp - iat > this.maxLifetimeSec) {
      throw unauthenticated(
        `token lives ${exp - iat} s (iat to exp); tokens longer-lived than ${duration(this.maxLifetimeSec)} are refused, sign one that expires within ${this.maxLifetimeSec} s of its iat`,
      );
    }
    return { org, subject: account, groups: [], kind: 'serviceaccount', issuer: iss };
  }
}
