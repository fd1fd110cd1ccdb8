import { jwtVerify, type JWTPayload } from 'jose';
import { ALLOWED_TOKEN_ALGORITHMS, type Principal, type TrustedIssuer } from '@dispatch/contracts';
import { claimValue, principalFromClaims } from './claims-to-principal';
import { IssuerDiscovery } from './discovery';
import { JwksCache } from './jwks-cache';
import { quoted, refusalOf, unauthenticated } from './refusal';
import { peekJwt } from './unverified-jwt';

export interface OidcTokenVerifierOptions {
  /** Read on every verification, so issuers added or removed at run time apply at once. */
  issuers: () => TrustedIssuer[];
  /** Allowance for clock skew on `exp`/`nbf` (DESIGN §9: at most 60 s). */
  clockToleranceSec?: number;
  /** Bound on each discovery or JWKS fetch. */
  fetchTimeoutMs?: number;
  /**
   * Least time between two JWKS fetches of one issuer. A rotated key (unknown kid) is picked up on
   * the first token signed with it once this has passed since the last fetch; kept short so
   * rotation is seamless, long enough that forged kids cannot make us hammer the IdP.
   */
  jwksCooldownMs?: number;
  /** Age after which a key set is refetched in the background (revoked keys drop out). */
  jwksRefreshMs?: number;
}

const ALGORITHMS: string[] = [...ALLOWED_TOKEN_ALGORITHMS];

/**
 * Verifies IdP-issued JWTs (OIDC access or ID tokens) locally: signature against the issuer's
 * cached JWKS, `iss`, `aud`, `exp`/`nbf` with bounded skew, and an algorithm allow-list. Once an
 * issuer's keys are loaded no request makes a network call, except to pick up a rotated key.
 */
export class OidcTokenVerifier {
  private readonly clockToleranceSec: number;
  private readonly discovery: IssuerDiscovery;
  private readonly keys: JwksCache;

  constructor(private readonly options: OidcTokenVerifierOptions) {
    this.clockToleranceSec = options.clockToleranceSec ?? 60;
    const timeoutMs = options.fetchTimeoutMs ?? 5_000;
    const cooldownMs = options.jwksCooldownMs ?? 5_000;
    this.discovery = new IssuerDiscovery({ timeoutMs, retryAfterMs: cooldownMs });
    this.keys = new JwksCache({ timeoutMs, cooldownMs, refreshMs: options.jwksRefreshMs ?? 10 * 60_000 });
  }

  async verify(token: string): Promise<Principal> {
    const { header, payload } = peekJwt(token);
    // Refused before anything is fetched: `none` and HMAC never reach a key lookup.
    if (typeof header.alg !== 'string' || !ALGORITHMS.includes(header.alg)) {
      throw unauthenticated(`token is signed with ${quoted(header.alg)}; only ${ALGORITHMS.join(', ')} are accepted`);
    }
    if (typeof payload.iss !== 'string' || payload.iss.length === 0) {
      throw unauthenticated('token has no "iss" claim; send a token from a trusted identity provider');
    }
    const candidates = this.candidatesFor(payload.iss, payload);
    if (candidates.length === 0) {
      throw unauthenticated(
        `issuer ${quoted(payload.iss)} is not trusted; use a token from a trusted identity provider, or ask an admin to register this one`,
      );
    }
    // Usually one candidate. Several share an issuer when, e.g., it is trusted deployment-wide
    // and also for an org with another audience; the first that accepts the token wins.
    let firstRefusal: unknown;
    for (const trusted of candidates) {
      try {
        return await this.verifyFor(token, trusted);
      } catch (err) {
        firstRefusal ??= err;
      }
    }
    throw firstRefusal;
  }

  private async verifyFor(token: string, trusted: TrustedIssuer): Promise<Principal> {
    try {
      const jwksUri = trusted.jwksUri ?? (await this.discovery.jwksUriOf(trusted.issuer));
      const { payload } = await jwtVerify(token, this.keys.keysAt(jwksUri), {
        issuer: trusted.issuer,
        audience: trusted.audience,
        algorithms: ALGORITHMS,
        clockTolerance: this.clockToleranceSec,
        // A token without an expiry would be valid forever.
        requiredClaims: ['exp'],
      });
      return principalFromClaims(payload, trusted);
    } catch (err) {
      throw refusalOf(err, { signer: trusted.issuer, renew: `get a new token from ${trusted.issuer}`, audience: trusted.audience });
    }
  }

  /** Trusted entries for `iss`, the ones the unverified token looks meant for first (for the error message). */
  private candidatesFor(iss: string, payload: JWTPayload): TrustedIssuer[] {
    const audiences = typeof payload.aud === 'string' ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud : [];
    const score = (t: TrustedIssuer) =>
      (audiences.includes(t.audience) ? 2 : 0) + (t.org !== undefined && claimValue(payload, t.claims.org) === t.org ? 1 : 0);
    return this.options
      .issuers()
      .filter((t) => t.issuer === iss)
      .sort((a, b) => score(b) - score(a));
  }
}
