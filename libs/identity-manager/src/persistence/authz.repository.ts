import { Injectable } from '@nestjs/common';
import { type DataSource, type EntityManager, IsNull, MoreThan } from 'typeorm';
import { ErrorCode, type AuthzSnapshot, type EventSubject, type PayloadOf } from '@dispatch/contracts';
import { isUniqueViolation, OutboxRelay, OutboxWriter } from '@dispatch/persistence';
import { DispatchError, IdentitySnapshot, InjectDataSource, InjectOutboxRelay, type PageRequest } from '@dispatch/platform';
import { AuthzRevision } from './entities/authz-revision.entity';
import { Organization } from './entities/organization.entity';
import { RoleBinding } from './entities/role-binding.entity';
import { Role } from './entities/role.entity';
import { ServiceAccount } from './entities/service-account.entity';
import { ApiKey } from './entities/api-key.entity';
import { TrustedIssuerRecord } from './entities/trusted-issuer.entity';

/** The entities whose changes move the authorization snapshot. */
export type AuthzEntity = Role | RoleBinding | Organization | ServiceAccount | ApiKey | TrustedIssuerRecord;

/**
 * Everything in the authorization snapshot. Each change commits together with a revision bump
 * and an `identity.authz.changed.v1` event, so the snapshot every service holds can only lag,
 * never disagree.
 */
@Injectable()
export class AuthzRepository {
  private readonly outbox = new OutboxWriter();

  constructor(
    @InjectDataSource('identity') private readonly dataSource: DataSource,
    @InjectOutboxRelay('identity') private readonly relay: OutboxRelay,
    private readonly identity: IdentitySnapshot,
  ) {}

  /** Runs `change` in a transaction that also bumps the revision and records the event. */
  async change<T>(change: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      const result = await this.dataSource.transaction(async (manager) => {
        const value = await change(manager);
        const [rows] = (await manager.query(
          `UPDATE "identity"."authz_revision" SET revision = revision + 1 WHERE id = 1 RETURNING revision`,
        )) as [{ revision: string }[], number];
        await this.emit(manager, 'identity.authz.changed.v1', { revision: Number(rows[0].revision) });
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

  async snapshot(): Promise<AuthzSnapshot> {
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
        issuers: issuers.map((i) => ({ issuer: i.issuer, audience: i.audience, claims: i.claims, org: i.org, ...(i.jwksUri ? { jwksUri: i.jwksUri } : {}) })),
        serviceAccounts: accounts.map((a) => ({ org: a.org, name: a.name, publicKeyPem: a.publicKeyPem })),
        apiKeys: keys.map((k) => ({ org: k.org, name: k.name, prefix: k.prefix, sha256: k.sha256, role: k.role, expiresAt: k.expiresAt?.toISOString() ?? null })),
      };
    });
  }

  /** One page of an org's `entity` rows by name. */
  async page<E extends AuthzEntity>(
    entity: new () => E,
    org: string | undefined,
    page: PageRequest,
  ): Promise<E[]> {
    const where: Record<string, unknown> = {};
    if (org !== undefined) where['org'] = org;
    if (page.after !== undefined) where['name'] = MoreThan(page.after);
    return this.dataSource.getRepository(entity).find({ where, order: { name: 'ASC' }, take: page.limit + 1 } as never);
  }

  async findOne<E extends AuthzEntity>(entity: new () => E, org: string, name: string): Promise<E | null> {
    return this.dataSource.getRepository(entity).findOneBy({ org, name } as never);
  }

  async emit<S extends EventSubject>(manager: EntityManager, subject: S, payload: PayloadOf<S>): Promise<void> {
    await this.outbox.add(manager, subject, payload);
  }
}
