import { Inject, Injectable } from '@nestjs/common';
import { BUS, type Bus } from '@dispatch/bus';
import { DEFAULT_QUOTAS, ErrorCode, type OrgQuotas } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';

/** How long an org's quotas are trusted before identity-manager is asked again. */
export const QUOTA_TTL_MS = 10_000;

/**
 * The org quota on concurrent runs (issue 4 stores it, this enforces it): runs in flight are
 * counted per org in this process, and one past the quota is refused with 429 QUOTA_EXCEEDED.
 * With several replicas each enforces the whole quota on its own share.
 */
@Injectable()
export class ConcurrencyLimiter {
  private readonly inFlight = new Map<string, number>();
  private readonly quotas = new Map<string, { quotas: OrgQuotas; expires: number }>();

  constructor(@Inject(BUS) private readonly bus: Bus) {}

  /** Takes a slot for a run of `org`; the returned function gives it back. */
  async acquire(org: string): Promise<() => void> {
    const { maxConcurrentRuns } = await this.quotasOf(org);
    const running = this.inFlight.get(org) ?? 0;
    if (running >= maxConcurrentRuns) {
      throw new DispatchError(
        ErrorCode.QUOTA_EXCEEDED,
        `the org already has ${running} runs in progress, its quota of concurrent runs (maxConcurrentRuns ${maxConcurrentRuns}); retry when some finish, or ask a platform admin to raise it`,
      );
    }
    this.inFlight.set(org, running + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = (this.inFlight.get(org) ?? 1) - 1;
      if (now) this.inFlight.set(org, now);
      else this.inFlight.delete(org);
    };
  }

  running(org: string): number {
    return this.inFlight.get(org) ?? 0;
  }

  async quotasOf(org: string): Promise<OrgQuotas> {
    const hit = this.quotas.get(org);
    if (hit && hit.expires > Date.now()) return hit.quotas;
    let quotas: OrgQuotas;
    try {
      quotas = await this.bus.request<{ org: string }, OrgQuotas>('identity.quota.get.v1', { org }, { timeoutMs: 2000 });
    } catch {
      // identity-manager unreachable: keep the last known quotas, else the defaults, rather than refuse every run.
      quotas = hit?.quotas ?? DEFAULT_QUOTAS;
    }
    this.quotas.set(org, { quotas, expires: Date.now() + QUOTA_TTL_MS });
    return quotas;
  }
}
