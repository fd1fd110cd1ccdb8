import { resolveSubscribeOptions } from './subscribe-options';

describe('resolveSubscribeOptions', () => {
  it('fills in the documented defaults', () => {
    expect(resolveSubscribeOptions({ group: 'g' })).toEqual({ group: 'g', ackWaitMs: 30_000, maxDeliver: 10, concurrency: 1 });
  });

  it.each([
    { group: '' },
    { group: 'g', ackWaitMs: 0 },
    { group: 'g', ackWaitMs: 1.5 },
    { group: 'g', maxDeliver: -1 },
    { group: 'g', concurrency: 0 },
    { group: 'g', concurrency: 2.5 },
    { group: 'g', concurrency: 1001 },
  ])('rejects %j', (options) => {
    expect(() => resolveSubscribeOptions(options)).toThrow();
  });
});
