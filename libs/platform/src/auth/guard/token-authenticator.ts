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

/**
 * Verifies a bearer token locally: IdP tokens against the trusted issuers' keys, service-account
 * tokens against the account's registered public key. Both come from memory (config and the
 * identity snapshot): no call to the IdP or identity-manager per request.
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
    if (credential.startsWith('dsp_')) return this.apiKey(credential);
    const revision = this.identity.revision;
    const cached = this.verified.get(credential, revision);
    if (cached) return cached;
    // Only to choose the verifier; the verifier checks everything, `exp` included.
    const { iss, exp } = peekJwt(credential).payload;
    const principal =
      typeof iss === 'string' && SERVICE_ACCOUNT_ISSUER.test(iss) ? await this.serviceAccounts.verify(credential) : await this.oidc.verify(credential);
    this.verified.set(credential, principal, exp, revision);
    return principal;
  }

  /** A lookup by prefix and a constant-time comparison of hashes: no slow hash needed for 256-bit keys. */
  private apiKey(credential: string): Principal {
    const match = API_KEY_PATTERN.exec(credential);
    const known = match ? this.identity.apiKey(match[1]) : undefined;
    const given = createHash('sha256').update(credential).digest();
    if (!known || !timingSafeEqual(given, Buffer.from(known.sha256, 'hex'))) {
      throw new DispatchError(ErrorCode.UNAUTHENTICATED, 'unknown or revoked API key; create a new one at /v1/iam/apikeys');
    }
    if (known.expiresAt && Date.parse(known.expiresAt) <= Date.now()) {
      throw new DispatchError(ErrorCode.UNAUTHENTICATED, `API key "${known.name}" expired at ${known.expiresAt}; create a new one`);
    }
    return { org: known.org, subject: known.name, groups: [], kind: 'apikey' };
  }
}
