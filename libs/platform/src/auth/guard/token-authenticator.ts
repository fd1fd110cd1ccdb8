import { Injectable } from '@nestjs/common';
import type { Principal } from '@dispatch/contracts';
import { OidcTokenVerifier, peekJwt, ServiceAccountTokenVerifier } from '../verify';
import type { Authenticator } from './authenticator';
import { IdentitySnapshot } from './identity-snapshot';

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

  constructor(identity: IdentitySnapshot) {
    this.oidc = new OidcTokenVerifier({ issuers: () => identity.trustedIssuers() });
    this.serviceAccounts = new ServiceAccountTokenVerifier({ publicKeyOf: (org, account) => identity.serviceAccountKey(org, account) });
  }

  async authenticate(credential: string): Promise<Principal> {
    // Only to choose the verifier; the verifier checks everything.
    const issuer = peekJwt(credential).payload.iss;
    return typeof issuer === 'string' && SERVICE_ACCOUNT_ISSUER.test(issuer)
      ? this.serviceAccounts.verify(credential)
      : this.oidc.verify(credential);
  }
}
