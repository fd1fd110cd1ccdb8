import { Controller } from '@nestjs/common';
import type { FunctionUsage, PayloadOf } from '@dispatch/contracts';
import { BusPayload, OnRequest } from '@dispatch/platform';
import { ConcurrencyLimiter } from '../run/concurrency-limiter';
import { UsageMeter } from './usage-meter';

/** Answers identity-manager's usage report for an org. */
@Controller()
export class UsageHandler {
  constructor(
    private readonly usage: UsageMeter,
    private readonly limiter: ConcurrencyLimiter,
  ) {}

  @OnRequest('function.usage.get.v1', 'function-manager')
  async of(@BusPayload() request: PayloadOf<'function.usage.get.v1'>): Promise<FunctionUsage> {
    return { ...(await this.usage.report(request.org, request.since)), concurrentRuns: this.limiter.running(request.org) };
  }
}
