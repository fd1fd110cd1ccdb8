import { Controller } from '@nestjs/common';
import type { FunctionUsage } from '@dispatch/contracts';
import { BusPayload, OnRequest } from '@dispatch/platform';
import { ConcurrencyLimiter } from '../run/concurrency-limiter';
import { UsageMeter } from '../usage/usage-meter';

/** Answers identity-manager's usage report for an org. */
@Controller()
export class UsageHandler {
  constructor(
    private readonly usage: UsageMeter,
    private readonly limiter: ConcurrencyLimiter,
  ) {}

  @OnRequest('function.usage.get.v1', 'function-manager')
  async of(@BusPayload() request: { org: string; since: string }): Promise<FunctionUsage> {
    const since = /^\d{4}-\d{2}-\d{2}$/.test(request.since) ? request.since : new Date().toISOString().slice(0, 8) + '01';
    return { ...(await this.usage.report(request.org, since)), concurrentRuns: this.limiter.running(request.org) };
  }
}
