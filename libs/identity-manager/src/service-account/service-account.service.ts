import { Injectable } from '@nestjs/common';
import type { Page, Tag } from '@dispatch/contracts';
import { entityBaseOf } from '@dispatch/persistence';
import { mapPage, toPage, type PageRequest } from '@dispatch/platform';
import { AuthzRepository } from '../authz/authz.repository';
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
export class ServiceAccountService {
  constructor(
    private readonly authz: AuthzRepository,
    private readonly accounts: ServiceAccountRepository,
    private readonly organizations: OrganizationService,
  ) {}

  async create(org: string, body: NewServiceAccount): Promise<ServiceAccountView> {
    const publicKeyPem = canonicalPublicKeyPem(body.publicKey);
    return serviceAccountView(
      await this.authz.change((tx) =>
        tx.serviceAccounts.put(Object.assign(new ServiceAccount(), { org, name: body.name, publicKeyPem, tags: body.tags })),
      ),
    );
  }

  async list(org: string, page: PageRequest): Promise<Page<ServiceAccountView>> {
    return mapPage(
      toPage(await this.accounts.page(org, page), page.limit, (a) => a.name),
      serviceAccountView,
    );
  }

  async get(org: string, name: string): Promise<ServiceAccountView> {
    return serviceAccountView(await this.accounts.get(org, name));
  }

  /** Replaces the public key: how an account's key is rotated. */
  async update(org: string, name: string, body: ServiceAccountChanges): Promise<ServiceAccountView> {
    const publicKeyPem = canonicalPublicKeyPem(body.publicKey);
    const changes = { publicKeyPem, tags: body.tags };
    return serviceAccountView(
      await this.authz.change(async (tx) => tx.serviceAccounts.put(Object.assign(await tx.serviceAccounts.lock(org, name), changes))),
    );
  }

  async delete(org: string, name: string): Promise<void> {
    await this.authz.change((tx) => tx.serviceAccounts.removeNamed(org, name));
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
