import { Injectable } from '@nestjs/common';
import type { Tag } from '@dispatch/contracts';
import { entityBaseOf } from '@dispatch/persistence';
import { AuthzRepository } from '../authz/authz.repository';
import { NamedOrgCollection } from '../named-org-collection';
import { OrganizationService } from '../organization/organization.service';
import { canonicalPublicKeyPem } from './public-key';
import { ServiceAccount } from './service-account.entity';
import { ServiceAccountRepository } from './service-account.repository';

export interface ServiceAccountChanges {
  publicKey: string;
  tags: Tag[];
}
export interface NewServiceAccount extends ServiceAccountChanges {
  name: string;
}

const serviceAccountView = (a: ServiceAccount) => ({ ...entityBaseOf(a), publicKey: a.publicKeyPem });
export type ServiceAccountView = ReturnType<typeof serviceAccountView>;

/** Service accounts: machine identities of an org, known by their public key. */
@Injectable()
export class ServiceAccountService extends NamedOrgCollection('serviceAccounts', serviceAccountView) {
  constructor(
    authz: AuthzRepository,
    private readonly accounts: ServiceAccountRepository,
    private readonly organizations: OrganizationService,
  ) {
    super(authz);
  }

  async create(org: string, body: NewServiceAccount): Promise<ServiceAccountView> {
    const publicKeyPem = canonicalPublicKeyPem(body.publicKey);
    return this.change((accounts) =>
      accounts.put(Object.assign(new ServiceAccount(), { org, name: body.name, publicKeyPem, tags: body.tags })),
    );
  }

  /** Replaces the public key: how an account's key is rotated. */
  async update(org: string, name: string, body: ServiceAccountChanges): Promise<ServiceAccountView> {
    const publicKeyPem = canonicalPublicKeyPem(body.publicKey);
    const changes = { publicKeyPem, tags: body.tags };
    return this.change(async (accounts) => accounts.put(Object.assign(await accounts.lock(org, name), changes)));
  }

  /**
   * Solo mode's first start: service account `name` in `org` with this key, an admin of it, and
   * the org itself, all idempotent (a restart with the same key changes nothing).
   */
  async ensureAdmin(org: string, name: string, publicKey: string): Promise<void> {
    const publicKeyPem = canonicalPublicKeyPem(publicKey);
    // A binding of its own: DISPATCH_ADMINS' `bootstrap-admins` binding must survive it.
    await this.organizations.ensureAdmins(org, [{ kind: 'serviceaccount', name }], `${name}-admin`);
    const existing = await this.accounts.byName(org, name);
    if (existing?.publicKeyPem === publicKeyPem) return;
    await this.authz.change(async (tx) => {
      const account = (await tx.serviceAccounts.byName(org, name)) ?? Object.assign(new ServiceAccount(), { org, name, tags: [] });
      account.publicKeyPem = publicKeyPem;
      await tx.serviceAccounts.put(account);
    });
  }
}
