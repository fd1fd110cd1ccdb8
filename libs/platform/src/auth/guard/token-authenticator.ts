import { Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { API_KEY_PATTERN, ErrorCode, type Principal } from '@dispatch/contracts';
import { DispatchError } from '../../errors/dispatch-error';
import { OidcTokenVerifier, peekJwt, ServiceAccountTokenVerifier } from '../verify';
import type { Authenticator } from './authenticator';
import { IdentitySnapshot } from './identity-snapshot';
import { VerifiedTokenCache } from './verified-token-cache';

/** A service-account token names its issuer `<org>/<account>`; an IdP's issuer is a URL. */
const SERVICE_ACCOUNT_ISSUER = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A verified principal and when its credential stops being valid (seconds since the epoch). */
interface Verified {
  principal: Principal;
  expSec: number | undefined;
}

/**
 * Verifies a bearer token locally: IdP tokens against the trusted issuers' keys, service-account
 * tokens against the account's registered public key, API keys against the hashes in the identity
 * snapshot. All come from memory (config and the identity snapshot): no call to the IdP or
 * identity-manager per request.
 */
@Injectable()
export class TokenAuthenticator implements Authenticator {
  private readonly oidc: OidcTokenVerifier;
  private readonly serviceAccounts: ServiceAccountTokenVerifier;
  private readonly verified = new VerifiedTokenCache();

  constructor(private readonly identity: IdentitySnapshot) {
    this.oidc = new OidcTokenVerifier({ issuers: () => identity.trustedIssuers() });
    this.serviceAccounts = new ServiceAccountTokenVerifier({ publicKeyOf: (org, account) => identity.serviceAccountKey(org, account) });
  }

  async authenticate(credential: string): Promise<Principal> {
    const revision = this.identity.revision;
    const cached = this.verified.get(credential, revision);
    if (cached) return cached;
    const { principal, expSec } = credential.startsWith('dsp_') ? this.apiKey(credential) : await this.jwt(credential);
    // One principal object per credential and snapshot: the Authorizer memoises its decisions by it.
    this.verified.set(credential, principal, expSec, revision);
    return principal;
  }

  private async jwt(token: string): Promise<Verified> {
    // Only to choose the verifier; the verifier checks everything, `exp` included.
    const { iss, exp } = peekJwt(token).payload;
    const principal =
      typeof iss === 'string' && SERVICE_ACCOUNT_ISSUER.test(iss)
        ? await this.serviceAccounts.verify(token)
        : await this.oidc.verify(token);
    return { principal, expSec: exp };
  }

  /** A lookup by prefix and a constant-time comparison of hashes: no slow hash needed for 256-bit keys. */
  private apiKey(credential: string): Verified {
    const match = API_KEY_PATTERN.exec(credential);
    const known = match ? this.identity.apiKey(match[1]) : undefined;
    const given = createHash('sha256').update(credential).digest();
    if (!known || !timingSafeEqual(given, Buffer.from(known.sha256, 'hex'))) {
      throw new DispatchError(ErrorCode.UNAUTHENTICATED, 'unknown or revoked API key; create a new one at /v1/iam/apikeys');
    }
    const expiresAtMs = known.expiresAt ? Date.parse(known.expiresAt) : Number.POSITIVE_INFINITY;
    // An expiry that does not parse (NaN) counts as passed: refuse rather than trust forever.
    if (!(expiresAtMs > Date.now())) {
      throw new DispatchError(ErrorCode.UNAUTHENTICATED, `API key "${known.name}" expired at ${known.expiresAt}; create a new one`);
    }
    return { principal: { org: known.org, subject: known.name, groups: [], kind: 'apikey' }, expSec: expiresAtMs / 1000 };
  }
}
