import { Injectable } from '@nestjs/common';
import type { ClaimMapping, Tag } from '@dispatch/contracts';
import { entityBaseOf } from '@dispatch/persistence';
import { NamedOrgCollection } from '../named-org-collection';
import { TrustedIssuerRecord } from './trusted-issuer.entity';

export interface TrustedIssuerChanges {
  issuer: string;
  audience: string;
  /** Found by OIDC discovery when absent. */
  jwksUri?: string;
  claims: ClaimMapping;
  tags: Tag[];
}
export interface NewTrustedIssuer extends TrustedIssuerChanges {
  name: string;
}

const issuerView = (i: TrustedIssuerRecord) => ({
  ...entityBaseOf(i),
  issuer: i.issuer,
  audience: i.audience,
  jwksUri: i.jwksUri,
  claims: i.claims,
});
export type IssuerView = ReturnType<typeof issuerView>;

/** Identity providers an org trusts for itself: their tokens vouch for that org only. */
@Injectable()
export class TrustedIssuerService extends NamedOrgCollection('issuers', issuerView) {
  async create(org: string, body: NewTrustedIssuer): Promise<IssuerView> {
    return this.change((issuers) => issuers.put(Object.assign(new TrustedIssuerRecord(), { ...body, jwksUri: body.jwksUri ?? null, org })));
  }

  async update(org: string, name: string, body: TrustedIssuerChanges): Promise<IssuerView> {
    const changes = { ...body, jwksUri: body.jwksUri ?? null };
    return this.change(async (issuers) => issuers.put(Object.assign(await issuers.lock(org, name), changes)));
  }
}
