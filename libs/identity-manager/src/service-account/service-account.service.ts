import { Injectable } from '@nestjs/common';
import { ErrorCode, type Principal, type Tag } from '@dispatch/contracts';
import { entityBaseOf } from '@dispatch/persistence';
import { DispatchError, IdentitySnapshot } from '@dispatch/platform';
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
    private readonly identity: IdentitySnapshot,
  ) {
    super(authz);
  }

  /** In the caller's org, or (platform admins only) in any org that exists. */
  async create(principal: Principal, org: string, body: NewServiceAccount): Promise<ServiceAccountView> {
    if (org !== principal.org && principal.org !== this.identity.platformOrg) {
      throw new DispatchError(
        ErrorCode.FORBIDDEN,
        `only platform admins (of org "${this.identity.platformOrg}") may register service accounts in another org`,
      );
    }
    const publicKeyPem = canonicalPublicKeyPem(body.publicKey);
    return this.change(async (accounts, tx) => {
      if (!(await tx.organizations.named(org))) {
        throw new DispatchError(ErrorCode.ORGANIZATION_NOT_FOUND, `organization "${org}" not found`);
      }
      return accounts.put(Object.assign(new ServiceAccount(), { org, name: body.name, publicKeyPem, tags: body.tags }));
    });
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
