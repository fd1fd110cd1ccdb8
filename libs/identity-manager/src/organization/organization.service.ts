import { Injectable } from '@nestjs/common';
import { type BindingSubject, ErrorCode, type Page, type Principal, type Tag } from '@dispatch/contracts';
import { entityBaseOf } from '@dispatch/persistence';
import { DispatchError, IdentitySnapshot, pageByName, type PageRequest } from '@dispatch/platform';
import { AuthzRepository } from '../authz/authz.repository';
import { RoleBinding } from '../role-binding/role-binding.entity';
import { RoleBindingRepository } from '../role-binding/role-binding.repository';
import { canonicalPublicKeyPem } from '../service-account/public-key';
import { ServiceAccount } from '../service-account/service-account.entity';
import type { Organization } from './organization.entity';
import { OrganizationRepository } from './organization.repository';

export interface NewOrganization {
  name: string;
  /** Bound to the admin role at once, so someone can manage the org from the start. */
  admins: BindingSubject[];
  /** A first service account (its public key), bound to the admin role with `admins`. */
  admin?: { serviceAccount: { name: string; publicKey: string } };
  tags: Tag[];
}

const organizationView = (o: Organization) => entityBaseOf(o);
export type OrganizationView = ReturnType<typeof organizationView>;

/** Tenants, and who administers them. */
@Injectable()
export class OrganizationService {
  constructor(
    private readonly authz: AuthzRepository,
    private readonly organizations: OrganizationRepository,
    private readonly bindings: RoleBindingRepository,
    private readonly identity: IdentitySnapshot,
  ) {}

  async create(body: NewOrganization): Promise<OrganizationView> {
    const account = body.admin?.serviceAccount;
    const admins: BindingSubject[] = account ? [...body.admins, { kind: 'serviceaccount', name: account.name }] : body.admins;
    const org = await this.authz.change(async (tx) => {
      const created = await tx.organizations.add(body.name, body.tags);
      if (account) {
        // Checked within the change: a refused key leaves no org behind.
        const publicKeyPem = canonicalPublicKeyPem(account.publicKey);
        await tx.serviceAccounts.put(Object.assign(new ServiceAccount(), { org: body.name, name: account.name, publicKeyPem, tags: [] }));
      }
      if (admins.length) {
        await tx.bindings.put(
          Object.assign(new RoleBinding(), { org: body.name, name: 'org-admins', role: 'admin', subjects: admins, tags: [] }),
        );
      }
      return created;
    });
    return organizationView(org);
  }

  async list(page: PageRequest): Promise<Page<OrganizationView>> {
    return pageByName(await this.organizations.pageAcrossOrgs(page), page.limit, organizationView);
  }

  /** Members see their own org; platform admins see any. Another org is "not found", never forbidden. */
  async get(principal: Principal, name: string): Promise<OrganizationView> {
    if (name !== principal.org && principal.org !== this.identity.platformOrg) {
      throw new DispatchError(ErrorCode.ORGANIZATION_NOT_FOUND, `organization "${name}" not found`);
    }
    return organizationView(await this.organizations.get(name, name));
  }

  /** With its roles and bindings, so a new org of the same name starts with no grants. */
  async delete(name: string): Promise<void> {
    if (name === this.identity.platformOrg) {
      throw new DispatchError(ErrorCode.FORBIDDEN, `"${name}" is the platform org; it cannot be deleted`);
    }
    await this.authz.change(async (tx) => {
      const found = await tx.organizations.get(name, name);
      await tx.bindings.removeAll(name);
      await tx.roles.removeAll(name);
      await tx.organizations.remove(found);
    });
  }

  /**
   * Makes `subjects` admins of `org` (creating the org if needed), idempotently: how a deployment
   * gets its first platform admins.
   */
  async ensureAdmins(org: string, subjects: BindingSubject[], bindingName = 'bootstrap-admins'): Promise<void> {
    const existing = await this.bindings.byName(org, bindingName);
    if (existing && JSON.stringify(existing.subjects) === JSON.stringify(subjects)) return;
    await this.authz.change(async (tx) => {
      if (!(await tx.organizations.named(org))) await tx.organizations.add(org, []);
      const binding =
        (await tx.bindings.byName(org, bindingName)) ?? Object.assign(new RoleBinding(), { org, name: bindingName, tags: [] });
      Object.assign(binding, { role: 'admin', subjects });
      await tx.bindings.put(binding);
    });
  }
}
