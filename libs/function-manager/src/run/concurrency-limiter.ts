import { Inject, Injectable } from '@nestjs/common';
import { BUS, type Bus } from '@dispatch/bus';
import { DEFAULT_QUOTAS, ErrorCode, type OrgQuotas } from '@dispatch/contracts';
import { DispatchError, TtlCache } from '@dispatch/platform';
import type { ActiveFunction } from './active-function';
import { KeyedSlots, type Release } from './keyed-slots';

/** How long an org's quotas are trusted before identity-manager is asked again. */
export const QUOTA_TTL_MS = 10_000;

/**
 * What may run at once: the org's quota of concurrent runs, and each function's capacity on the
 * provider (maxReplicas × maxConcurrency calls). Runs in flight are counted per org and per
 * function in this process; with several replicas each enforces the whole quota on its own share.
 *
 * A blocking run past the org's quota is refused with 429 QUOTA_EXCEEDED, and goes to the
 * provider even when the function is at capacity (the provider queues it, and its caller waits
 * anyway). Queued runs are started only into room under both (RunQueue): sent to a provider that
 * is full, one would spend its timeout in the provider's queue and could fail without starting.
 */
@Injectable()
export class ConcurrencyLimiter {
  private readonly orgs = new KeyedSlots();
  private readonly functions = new KeyedSlots();
  private readonly quotas = new TtlCache<OrgQuotas>();

  constructor(@Inject(BUS) private readonly bus: Bus) {}

  /** Takes a slot for a blocking run of `fn`, or refuses; the returned function gives it back. */
  async acquire(fn: ActiveFunction): Promise<Release> {
    const { maxConcurrentRuns } = await this.quotasOf(fn.org);
    const org = this.orgs.tryTake(fn.org, maxConcurrentRuns);
    if (!org) {
      throw new DispatchError(
        ErrorCode.QUOTA_EXCEEDED,
        `the org already has ${this.orgs.count(fn.org)} runs in progress, its quota of concurrent runs (maxConcurrentRuns ${maxConcurrentRuns}); retry when some finish, or ask a platform admin to raise it`,
      );
    }
    return both(org, this.functions.takeAnyway(fn.id));
  }

  /**
   * Slots for queued runs of `fn`: as many as both the function's capacity and the org's quota
   * have room for, maybe none. Each is given back on its own.
   */
  async reserve(fn: ActiveFunction): Promise<Release[]> {
    const { maxConcurrentRuns } = await this.quotasOf(fn.org);
    const room = Math.min(capacityOf(fn) - this.functions.count(fn.id), maxConcurrentRuns - this.orgs.count(fn.org));
    return Array.from({ length: Math.max(0, room) }, () => both(this.orgs.takeAnyway(fn.org), this.functions.takeAnyway(fn.id)));
  }

  running(org: string): number {
    return this.orgs.count(org);
  }

  async quotasOf(org: string): Promise<OrgQuotas> {
    const hit = this.quotas.get(org);
    if (hit) return hit;
    let quotas: OrgQuotas;
    try {
      quotas = await this.bus.request('identity.quota.get.v1', { org }, { timeoutMs: 2000 });
    } catch {
      // identity-manager unreachable: keep the last known quotas, else the defaults, rather than refuse every run.
      quotas = this.quotas.stale(org) ?? DEFAULT_QUOTAS;
    }
    this.quotas.set(org, quotas, QUOTA_TTL_MS);
    return quotas;
  }
}

/** Calls a function of the provider takes at once: its replicas times the calls each takes. */
export function capacityOf(fn: ActiveFunction): number {
  return fn.spec.maxReplicas * fn.spec.maxConcurrency;
}

function both(a: Release, b: Release): Release {
  return () => {
    b();
    a();
  };
}
