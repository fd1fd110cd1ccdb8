import { createPublicKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { BUS, type Bus } from '@dispatch/bus';
import { ErrorCode, type AuthzSnapshot, type TrustedIssuer } from '@dispatch/contracts';
import { DispatchError } from '../../errors/dispatch-error';
import { ReadinessChecks } from '../../health/readiness';
import { LOGGER } from '../../tokens';
import { Authorizer } from '../authorize/authorizer';

export const AUTH_OPTIONS = Symbol.for('dispatch.auth-options');

export interface AuthOptions {
  /** Trusted for every org; the org comes from the token's org claim. */
  deploymentIssuers: TrustedIssuer[];
  /** Admins of this org are platform admins (they create organizations). */
  platformOrg: string;
  /** How often to ask identity-manager whether the snapshot changed. */
  refreshMs: number;
}

/**
 * This process's copy of identity-manager's authorization state: roles, bindings, per-org
 * issuers and service-account keys. Permission checks read it from memory; it is refreshed by
 * asking over the bus whether the revision moved (a cheap "unchanged" answer when it did not).
 */
@Injectable()
export class IdentitySnapshot implements OnModuleInit, OnApplicationShutdown {
  private authorizer?: Authorizer;
  private snapshot?: AuthzSnapshot;
  private keys = new Map<string, KeyObject>();
  private apiKeys = new Map<string, AuthzSnapshot['apiKeys'][number]>();
  private timer?: NodeJS.Timeout;
  private refreshing?: Promise<void>;
  private queued?: Promise<void>;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly readiness: ReadinessChecks,
  ) {}

  onModuleInit(): void {
    this.readiness.register('authz', async () => {
      if (!this.snapshot) await this.refresh();
      if (!this.snapshot) throw new Error('authorization snapshot not loaded from identity-manager yet');
    });
    this.timer = setInterval(() => void this.refresh(), this.options.refreshMs);
    this.timer.unref();
    // The first load must not block start-up: identity-manager may be the one starting.
    void this.refresh();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /**
   * Loads (or re-checks) the snapshot. A load already running may have read the state before the
   * caller's change committed, so callers arriving meanwhile share ONE more load after it.
   */
  refresh(): Promise<void> {
    if (!this.refreshing) {
      this.refreshing = this.load().finally(() => (this.refreshing = undefined));
      return this.refreshing;
    }
    this.queued ??= this.refreshing.then(() => {
      this.queued = undefined;
      return this.refresh();
    });
    return this.queued;
  }

  async current(): Promise<Authorizer> {
    if (!this.authorizer) await this.refresh();
    if (!this.authorizer) {
      throw new DispatchError(ErrorCode.SERVICE_UNAVAILABLE, 'authorization data is not loaded yet; retry in a few seconds');
    }
    return this.authorizer;
  }

  trustedIssuers(): TrustedIssuer[] {
    return [...this.options.deploymentIssuers, ...(this.snapshot?.issuers ?? [])];
  }

  serviceAccountKey(org: string, account: string): KeyObject | undefined {
    return this.keys.get(`${org}/${account}`);
  }

  /** The live API key with this lookup prefix, if any. */
  apiKey(prefix: string): AuthzSnapshot['apiKeys'][number] | undefined {
    return this.apiKeys.get(prefix);
  }

  /** Revision of the snapshot held; -1 before the first load. */
  get revision(): number {
    return this.snapshot?.revision ?? -1;
  }

  get platformOrg(): string {
    return this.options.platformOrg;
  }

  private async load(): Promise<void> {
    try {
      const reply = await this.bus.request('identity.authz.snapshot.v1', { knownRevision: this.snapshot?.revision }, { timeoutMs: 3000 });
      if ('unchanged' in reply) return;
      const authorizer = await Authorizer.fromSnapshot(reply);
      const keys = new Map<string, KeyObject>();
      for (const sa of reply.serviceAccounts) keys.set(`${sa.org}/${sa.name}`, createPublicKey(sa.publicKeyPem));
      this.authorizer = authorizer;
      this.keys = keys;
      this.apiKeys = new Map(reply.apiKeys.map((k) => [k.prefix, k]));
      this.snapshot = reply;
    } catch (err) {
      this.logger.warn({ err }, 'could not refresh the authorization snapshot; keeping the last one');
    }
  }
}
