import { Injectable } from '@nestjs/common';
import type { ClaimMapping, Page, Tag } from '@dispatch/contracts';
import { entityBaseOf } from '@dispatch/persistence';
import { mapPage, toPage, type PageRequest } from '@dispatch/platform';
import { AuthzRepository } from '../authz/authz.repository';
import { TrustedIssuerRecord } from './trusted-issuer.entity';
import { TrustedIssuerRepository } from './trusted-issuer.repository';

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
export class TrustedIssuerService {
  constructor(
    private readonly authz: AuthzRepository,
    private readonly issuers: TrustedIssuerRepository,
  ) {}

  async create(org: string, body: NewTrustedIssuer): Promise<IssuerView> {
    return issuerView(
      await this.authz.change((tx) =>
        tx.issuers.put(Object.assign(new TrustedIssuerRecord(), { ...body, jwksUri: body.jwksUri ?? null, org })),
      ),
    );
  }

  async list(org: string, page: PageRequest): Promise<Page<IssuerView>> {
    return mapPage(
      toPage(await this.issuers.page(org, page), page.limit, (i) => i.name),
      issuerView,
    );
  }

  async get(org: string, name: string): Promise<IssuerView> {
    return issuerView(await this.issuers.get(org, name));
  }

  async update(org: string, name: string, body: TrustedIssuerChanges): Promise<IssuerView> {
    const changes = { ...body, jwksUri: body.jwksUri ?? null };
    return issuerView(await this.authz.change(async (tx) => tx.issuers.put(Object.assign(await tx.issuers.lock(org, name), changes))));
  }

  async delete(org: string, name: string): Promise<void> {
    await this.authz.change((tx) => tx.issuers.removeNamed(org, name));
  }
}
