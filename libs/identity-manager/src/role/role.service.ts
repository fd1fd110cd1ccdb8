import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BUILTIN_ROLES, ErrorCode, type Page } from '@dispatch/contracts';
import { entityBaseOf } from '@dispatch/persistence';
import { DispatchError, mapPage, toPage, type PageRequest } from '@dispatch/platform';
import type {
  OrganizationBody,
  PolicyBody,
  PolicyUpdateBody,
  RoleBody,
  RoleUpdateBody,
  ServiceAccountBody,
  ServiceAccountUpdateBody,
  ApiKeyBody,
  IssuerBody,
  IssuerUpdateBody,
} from '../api/schemas';
import { AuthzRepository, type AuthzEntity } from '../persistence/authz.repository';
import { Organization } from '../persistence/entities/organization.entity';
import { RoleBinding } from '../persistence/entities/role-binding.entity';
import { Role } from '../persistence/entities/role.entity';
import { ServiceAccount } from '../persistence/entities/service-account.entity';
import { canonicalPublicKeyPem } from './public-key';
import { ApiKey } from '../persistence/entities/api-key.entity';
import { TrustedIssuerRecord } from '../persistence/entities/trusted-issuer.entity';
import { newApiKey } from './api-key-secret';

const isBuiltin = (role: string) => (BUILTIN_ROLES as readonly string[]).includes(role);

const organizationView = (o: Organization) => entityBaseOf(o);
const roleView = (r: Role) => ({ ...entityBaseOf(r), rules: r.rules });
const policyView = (b: RoleBinding) => ({ ...entityBaseOf(b), role: b.role, subjects: b.subjects });

const serviceAccountView = (a: ServiceAccount) => ({ ...entityBaseOf(a), publicKey: a.publicKeyPem });
export type ServiceAccountView = ReturnType<typeof serviceAccountView>;
const apiKeyView = (k: ApiKey) => ({
  ...entityBaseOf(k),
  role: k.role,
  prefix: k.prefix,
  expiresTime: k.expiresAt?.toISOString() ?? null,
  revokedTime: k.revokedAt?.toISOString() ?? null,
});
export type ApiKeyView = ReturnType<typeof apiKeyView>;
const issuerView = (i: TrustedIssuerRecord) => ({ ...entityBaseOf(i), issuer: i.issuer, audience: i.audience, jwksUri: i.jwksUri, claims: i.claims });
export type IssuerView = ReturnType<typeof issuerView>;
export type OrganizationView = ReturnType<typeof organizationView>;
export type RoleView = ReturnType<typeof roleView>;
export type PolicyView = ReturnType<typeof policyView>;

/** Organizations, custom roles and role bindings: the state the authorization snapshot is made of. */
@Injectable()
export class IamService {
  constructor(private readonly repo: AuthzRepository) {}

  async createOrganization(body: OrganizationBody): Promise<OrganizationView> {
    const org = await this.repo.change(async (m) => {
      const created = await m.save(m.create(Organization, { name: body.name, org: body.name, tags: body.tags }));
      if (body.admins.length) {
        await m.save(m.create(RoleBinding, { org: body.name, name: 'org-admins', role: 'admin', subjects: body.admins, tags: [] }));
      }
      return created;
    });
    return organizationView(org);
  }

  async listOrganizations(page: PageRequest): Promise<Page<OrganizationView>> {
    const rows = await this.repo.page(Organization, undefined, page);
    return mapPage(toPage(rows, page.limit, (o) => o.name), organizationView);
  }

  async getOrganization(name: string): Promise<OrganizationView> {
    return organizationView(await this.mustFind(Organization, name, name, ErrorCode.ORGANIZATION_NOT_FOUND));
  }

  async deleteOrganization(name: string): Promise<void> {
    await this.repo.change(async (m) => {
      const found = await m.findOneBy(Organization, { name });
      if (!found) throw notFound(ErrorCode.ORGANIZATION_NOT_FOUND, 'organization', name);
      await m.delete(RoleBinding, { org: name });
      await m.delete(Role, { org: name });
      await m.delete(Organization, { id: found.id });
    });
  }

  async createRole(org: string, body: RoleBody): Promise<RoleView> {
    if (isBuiltin(body.name)) {
      throw new DispatchError(ErrorCode.BUILTIN_ROLE, `"${body.name}" is a built-in role; give a custom role another name`);
    }
    return roleView(await this.repo.change((m) => m.save(m.create(Role, { ...body, org }))));
  }

  async listRoles(org: string, page: PageRequest): Promise<Page<RoleView>> {
    return mapPage(toPage(await this.repo.page(Role, org, page), page.limit, (r) => r.name), roleView);
  }

  async getRole(org: string, name: string): Promise<RoleView> {
    return roleView(await this.mustFind(Role, org, name, ErrorCode.NOT_FOUND));
  }

  async updateRole(org: string, name: string, body: RoleUpdateBody): Promise<RoleView> {
    return roleView(
      await this.repo.change(async (m) => {
        const role = await this.inTx(m, Role, org, name);
        Object.assign(role, body);
        return m.save(role);
      }),
    );
  }

  async deleteRole(org: string, name: string): Promise<void> {
    await this.repo.change(async (m) => {
      const role = await this.inTx(m, Role, org, name);
      const users = await m.countBy(RoleBinding, { org, role: name });
      if (users > 0) {
        throw new DispatchError(ErrorCode.NAME_CONFLICT, `role "${name}" is used by ${users} polic(ies); delete or change them first`);
      }
      await m.delete(Role, { id: role.id });
    });
  }

  async createPolicy(org: string, body: PolicyBody): Promise<PolicyView> {
    return policyView(
      await this.repo.change(async (m) => {
        await this.assertRoleExists(m, org, body.role);
        return m.save(m.create(RoleBinding, { ...body, org }));
      }),
    );
  }

  async listPolicies(org: string, page: PageRequest): Promise<Page<PolicyView>> {
    return mapPage(toPage(await this.repo.page(RoleBinding, org, page), page.limit, (b) => b.name), policyView);
  }

  async getPolicy(org: string, name: string): Promise<PolicyView> {
    return policyView(await this.mustFind(RoleBinding, org, name, ErrorCode.NOT_FOUND));
  }

  async updatePolicy(org: string, name: string, body: PolicyUpdateBody): Promise<PolicyView> {
    return policyView(
      await this.repo.change(async (m) => {
        const binding = await this.inTx(m, RoleBinding, org, name);
        await this.assertRoleExists(m, org, body.role);
        Object.assign(binding, body);
        return m.save(binding);
      }),
    );
  }

  async deletePolicy(org: string, name: string): Promise<void> {
    await this.repo.change(async (m) => {
      const binding = await this.inTx(m, RoleBinding, org, name);
      await m.delete(RoleBinding, { id: binding.id });
    });
  }

  async createServiceAccount(org: string, body: ServiceAccountBody): Promise<ServiceAccountView> {
    const publicKeyPem = canonicalPublicKeyPem(body.publicKey);
    return serviceAccountView(await this.repo.change((m) => m.save(m.create(ServiceAccount, { org, name: body.name, publicKeyPem, tags: body.tags }))));
  }

  async listServiceAccounts(org: string, page: PageRequest): Promise<Page<ServiceAccountView>> {
    return mapPage(toPage(await this.repo.page(ServiceAccount, org, page), page.limit, (a) => a.name), serviceAccountView);
  }

  async getServiceAccount(org: string, name: string): Promise<ServiceAccountView> {
    return serviceAccountView(await this.mustFind(ServiceAccount, org, name, ErrorCode.NOT_FOUND));
  }

  /** Replaces the public key: how an account's key is rotated. */
  async updateServiceAccount(org: string, name: string, body: ServiceAccountUpdateBody): Promise<ServiceAccountView> {
    const publicKeyPem = canonicalPublicKeyPem(body.publicKey);
    return serviceAccountView(
      await this.repo.change(async (m) => {
        const account = await this.inTx(m, ServiceAccount, org, name);
        Object.assign(account, { publicKeyPem, tags: body.tags });
        return m.save(account);
      }),
    );
  }

  async deleteServiceAccount(org: string, name: string): Promise<void> {
    await this.repo.change(async (m) => {
      const account = await this.inTx(m, ServiceAccount, org, name);
      await m.delete(ServiceAccount, { id: account.id });
    });
  }

  async createIssuer(org: string, body: IssuerBody): Promise<IssuerView> {
    return issuerView(await this.repo.change((m) => m.save(m.create(TrustedIssuerRecord, { ...body, jwksUri: body.jwksUri ?? null, org }))));
  }

  async listIssuers(org: string, page: PageRequest): Promise<Page<IssuerView>> {
    return mapPage(toPage(await this.repo.page(TrustedIssuerRecord, org, page), page.limit, (i) => i.name), issuerView);
  }

  async getIssuer(org: string, name: string): Promise<IssuerView> {
    return issuerView(await this.mustFind(TrustedIssuerRecord, org, name, ErrorCode.NOT_FOUND));
  }

  async updateIssuer(org: string, name: string, body: IssuerUpdateBody): Promise<IssuerView> {
    return issuerView(
      await this.repo.change(async (m) => {
        const record = await this.inTx(m, TrustedIssuerRecord, org, name);
        Object.assign(record, { ...body, jwksUri: body.jwksUri ?? null });
        return m.save(record);
      }),
    );
  }

  async deleteIssuer(org: string, name: string): Promise<void> {
    await this.repo.change(async (m) => {
      const record = await this.inTx(m, TrustedIssuerRecord, org, name);
      await m.delete(TrustedIssuerRecord, { id: record.id });
    });
  }

  /** The key itself is in this answer only: it is never stored nor shown again. */
  async createApiKey(org: string, body: ApiKeyBody): Promise<ApiKeyView & { key: string }> {
    const { key, prefix, sha256 } = newApiKey();
    const expiresAt = new Date(Date.now() + body.expiresInDays * 86_400_000);
    const saved = await this.repo.change(async (m) => {
      await this.assertRoleExists(m, org, body.role);
      return m.save(m.create(ApiKey, { org, name: body.name, role: body.role, tags: body.tags, prefix, sha256, expiresAt, revokedAt: null }));
    });
    return { ...apiKeyView(saved), key };
  }

  async listApiKeys(org: string, page: PageRequest): Promise<Page<ApiKeyView>> {
    return mapPage(toPage(await this.repo.page(ApiKey, org, page), page.limit, (k) => k.name), apiKeyView);
  }

  async getApiKey(org: string, name: string): Promise<ApiKeyView> {
    return apiKeyView(await this.mustFind(ApiKey, org, name, ErrorCode.NOT_FOUND));
  }

  /** Stops the key working at once (this process) or within a refresh period (the others). */
  async revokeApiKey(org: string, name: string): Promise<ApiKeyView> {
    return apiKeyView(
      await this.repo.change(async (m) => {
        const key = await this.inTx(m, ApiKey, org, name);
        key.revokedAt ??= new Date();
        return m.save(key);
      }),
    );
  }

  async deleteApiKey(org: string, name: string): Promise<void> {
    await this.repo.change(async (m) => {
      const key = await this.inTx(m, ApiKey, org, name);
      await m.delete(ApiKey, { id: key.id });
    });
  }

  /**
   * Solo mode's first start: service account `name` in `org` with this key, an admin of it, and
   * the org itself, all idempotent (a restart with the same key changes nothing).
   */
  async ensureServiceAccountAdmin(org: string, name: string, publicKey: string): Promise<void> {
    const publicKeyPem = canonicalPublicKeyPem(publicKey);
    // A binding of its own: DISPATCH_ADMINS' `bootstrap-admins` binding must survive it.
    await this.ensureAdmins(org, [{ kind: 'serviceaccount', name }], `${name}-admin`);
    const existing = await this.repo.findOne(ServiceAccount, org, name);
    if (existing?.publicKeyPem === publicKeyPem) return;
    await this.repo.change(async (m) => {
      const account = (await m.findOneBy(ServiceAccount, { org, name })) ?? m.create(ServiceAccount, { org, name, tags: [] });
      account.publicKeyPem = publicKeyPem;
      await m.save(account);
    });
  }

  /**
   * Makes `subjects` admins of `org` (creating the org if needed), idempotently: how a deployment
   * gets its first platform admins.
   */
  async ensureAdmins(org: string, subjects: PolicyBody['subjects'], bindingName = 'bootstrap-admins'): Promise<void> {
    const existing = await this.repo.findOne(RoleBinding, org, bindingName);
    if (existing && JSON.stringify(existing.subjects) === JSON.stringify(subjects)) return;
    await this.repo.change(async (m) => {
      if (!(await m.findOneBy(Organization, { name: org }))) await m.save(m.create(Organization, { name: org, org, tags: [] }));
      const binding = (await m.findOneBy(RoleBinding, { org, name: bindingName })) ?? m.create(RoleBinding, { org, name: bindingName, tags: [] });
      Object.assign(binding, { role: 'admin', subjects });
      await m.save(binding);
    });
  }

  private async assertRoleExists(m: EntityManager, org: string, role: string): Promise<void> {
    if (isBuiltin(role) || (await m.findOneBy(Role, { org, name: role }))) return;
    throw new DispatchError(
      ErrorCode.ROLE_NOT_FOUND,
      `role "${role}" does not exist in org "${org}"; use one of ${BUILTIN_ROLES.join(', ')} or create it first`,
    );
  }

  private async mustFind<E extends AuthzEntity>(entity: new () => E, org: string, name: string, code: ErrorCode): Promise<E> {
    const found = await this.repo.findOne(entity, org, name);
    if (!found) throw notFound(code, kindOf(entity), name);
    return found;
  }

  private async inTx<E extends Role | RoleBinding | ServiceAccount | ApiKey | TrustedIssuerRecord>(m: EntityManager, entity: new () => E, org: string, name: string): Promise<E> {
    const found = await m.findOne(entity, { where: { org, name } as never, lock: { mode: 'pessimistic_write' } });
    if (!found) throw notFound(ErrorCode.NOT_FOUND, kindOf(entity), name);
    return found;
  }
}

function kindOf(entity: new () => unknown): string {
  if (entity === Organization) return 'organization';
  if (entity === Role) return 'role';
  if (entity === ServiceAccount) return 'service account';
  if (entity === ApiKey) return 'API key';
  if (entity === TrustedIssuerRecord) return 'issuer';
  return 'policy';
}

function notFound(code: ErrorCode, kind: string, name: string): DispatchError {
  return new DispatchError(code, `${kind} "${name}" not found`);
}
