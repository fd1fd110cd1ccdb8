import { Injectable } from '@nestjs/common';
import type { Principal } from '@dispatch/contracts';
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
}
