import { resolveSubscribeOptions } from './subscribe-options';

describe('resolveSubscribeOptions', () => {
  it('fills in the documented defaults', () => {
    expect(resolveSubscribeOptions({ group: 'g' })).toEqual({ group: 'g', ackWaitMs: 30_000, maxDeliver: 10 });
  });

  it.each([{ group: '' }, { group: 'g', ackWaitMs: 0 }, { group: 'g', ackWaitMs: 1.5 }, { group: 'g', maxDeliver: -1 }])(
    'rejects %j',
    (options) => {
      expect(() => resolveSubscribeOptions(options)).toThrow();
    },
  );
});
