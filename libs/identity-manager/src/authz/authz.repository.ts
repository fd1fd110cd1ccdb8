import { Injectable } from '@nestjs/common';
import { type DataSource, type EntityManager, IsNull } from 'typeorm';
import { ErrorCode, type AuthzSnapshot } from '@dispatch/contracts';
import { isUniqueViolation, OutboxRelay, OutboxWriter } from '@dispatch/persistence';
import { DispatchError, IdentitySnapshot, InjectDataSource, InjectOutboxRelay } from '@dispatch/platform';
import { ApiKey } from '../api-key/api-key.entity';
import { ApiKeyRepository } from '../api-key/api-key.repository';
import { OrganizationRepository } from '../organization/organization.repository';
import { RoleBinding } from '../role-binding/role-binding.entity';
import { RoleBindingRepository } from '../role-binding/role-binding.repository';
import { Role } from '../role/role.entity';
import { RoleRepository } from '../role/role.repository';
import { ServiceAccount } from '../service-account/service-account.entity';
import { ServiceAccountRepository } from '../service-account/service-account.repository';
import { TrustedIssuerRecord } from '../trusted-issuer/trusted-issuer.entity';
import { TrustedIssuerRepository } from '../trusted-issuer/trusted-issuer.repository';
import { AuthzRevision } from './authz-revision.entity';

/** The repositories of everything in the authorization snapshot, bound to one transaction. */
export interface AuthzChange {
  organizations: OrganizationRepository;
  roles: RoleRepository;
  bindings: RoleBindingRepository;
  serviceAccounts: ServiceAccountRepository;
  apiKeys: ApiKeyRepository;
  issuers: TrustedIssuerRepository;
}

function changeIn(manager: EntityManager): AuthzChange {
  return {
    organizations: new OrganizationRepository(manager),
    roles: new RoleRepository(manager),
    bindings: new RoleBindingRepository(manager),
    serviceAccounts: new ServiceAccountRepository(manager),
    apiKeys: new ApiKeyRepository(manager),
    issuers: new TrustedIssuerRepository(manager),
  };
}

/**
 * Everything in the authorization snapshot. Each change commits together with a revision bump
 * and an `identity.authz.changed.v1` event, so the snapshot every service holds can only lag,
 * never disagree.
 */
@Injectable()
export class AuthzRepository {
  private readonly outbox = new OutboxWriter();
  /** The same repositories outside any change: for reads, which need no revision. */
  readonly rows: AuthzChange;

  constructor(
    @InjectDataSource('identity') private readonly dataSource: DataSource,
    @InjectOutboxRelay('identity') private readonly relay: OutboxRelay,
    private readonly identity: IdentitySnapshot,
  ) {
    this.rows = changeIn(dataSource.manager);
  }

  /** Runs `change` in a transaction that also bumps the revision and records the event. */
  async change<T>(change: (tx: AuthzChange) => Promise<T>): Promise<T> {
    try {
      const result = await this.dataSource.transaction(async (manager) => {
        const value = await change(changeIn(manager));
        const [rows] = (await manager.query(
          `UPDATE "identity"."authz_revision" SET revision = revision + 1 WHERE id = 1 RETURNING revision`,
        )) as [{ revision: string }[], number];
        await this.outbox.add(manager, 'identity.authz.changed.v1', { revision: Number(rows[0].revision) });
        return value;
      });
      this.relay.notify();
      // This process serves the change's author next: let its own guard see it at once.
      await this.identity.refresh();
      return result;
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new DispatchError(ErrorCode.NAME_CONFLICT, 'that name is taken in this org; choose another name');
      }
      throw err;
    }
  }

  async revision(): Promise<number> {
    const row = await this.dataSource.getRepository(AuthzRevision).findOneByOrFail({ id: 1 });
    return row.revision;
  }

  /** The whole authorization state of every org at one revision: spans all orgs by design. */
  async snapshotOfAllOrgs(): Promise<AuthzSnapshot> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const revision = (await manager.getRepository(AuthzRevision).findOneByOrFail({ id: 1 })).revision;
      const roles = await manager.getRepository(Role).find({ order: { org: 'ASC', name: 'ASC' } });
      const bindings = await manager.getRepository(RoleBinding).find({ order: { org: 'ASC', name: 'ASC' } });
      const accounts = await manager.getRepository(ServiceAccount).find({ order: { org: 'ASC', name: 'ASC' } });
      // Expired keys stay in the snapshot until the next change; the authenticator checks expiry.
      const issuers = await manager.getRepository(TrustedIssuerRecord).find({ order: { org: 'ASC', name: 'ASC' } });
      const keys = await manager.getRepository(ApiKey).find({ where: { revokedAt: IsNull() }, order: { org: 'ASC', name: 'ASC' } });
      return {
        revision,
        roles: roles.map((r) => ({ org: r.org, name: r.name, rules: r.rules })),
        bindings: [
          ...bindings.map((b) => ({ org: b.org, role: b.role, subjects: b.subjects })),
          ...keys.map((k) => ({ org: k.org, role: k.role, subjects: [{ kind: 'apikey' as const, name: k.name }] })),
        ],
        issuers: issuers.map((i) => ({
          issuer: i.issuer,
          audience: i.audience,
          claims: i.claims,
          org: i.org,
          ...(i.jwksUri ? { jwksUri: i.jwksUri } : {}),
        })),
        serviceAccounts: accounts.map((a) => ({ org: a.org, name: a.name, publicKeyPem: a.publicKeyPem })),
        apiKeys: keys.map((k) => ({
          org: k.org,
          name: k.name,
          prefix: k.prefix,
          sha256: k.sha256,
          role: k.role,
          expiresAt: k.expiresAt?.toISOString() ?? null,
        })),
      };
    });
  }
}
