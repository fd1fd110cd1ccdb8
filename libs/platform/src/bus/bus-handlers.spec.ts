import 'reflect-metadata';
import type { FunctionUsage, OrgQuotas, RunRequestedEvent } from '@dispatch/contracts';
import { PATTERN_EXTRAS_METADATA, PATTERN_METADATA } from '@nestjs/microservices/constants';
import { BusPayload, OnEvent, OnRequest } from './bus-handlers';

const QUOTAS: OrgQuotas = { maxFunctions: 1, maxConcurrentRuns: 1, maxEventsPerSecond: 1 };

/** The refusals are the compiler's: `npm run typecheck` fails if a decorator below stops refusing. */
class Handlers {
  @OnEvent('function.run.requested.v1', 'probe')
  requested(@BusPayload() event: RunRequestedEvent): void {
    void event;
  }

  @OnRequest('identity.quota.get.v1', 'probe')
  async quotas(@BusPayload() request: { org: string }): Promise<OrgQuotas> {
    void request;
    return QUOTAS;
  }

  // @ts-expect-error the method does not take the subject's payload
  @OnEvent('function.run.requested.v1', 'probe')
  otherPayload(@BusPayload() event: { runId: number }): void {
    void event;
  }

  // @ts-expect-error the method does not answer with the subject's reply
  @OnRequest('identity.quota.get.v1', 'probe')
  async otherReply(): Promise<FunctionUsage> {
    return { org: 'acme', since: '2026-01-01', runs: 0, gbSeconds: 0, concurrentRuns: 0 };
  }
}

describe('@OnEvent / @OnRequest', () => {
  it('register the subject and the group with Nest', () => {
    const registered = (method: keyof Handlers) => [
      Reflect.getMetadata(PATTERN_METADATA, Handlers.prototype[method]),
      Reflect.getMetadata(PATTERN_EXTRAS_METADATA, Handlers.prototype[method]),
    ];
    expect(registered('requested')).toEqual([['function.run.requested.v1'], { group: 'probe' }]);
    expect(registered('quotas')).toEqual([['identity.quota.get.v1'], { group: 'probe' }]);
  });
});
