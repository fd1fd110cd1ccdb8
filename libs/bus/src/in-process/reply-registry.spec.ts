import { ReplyRegistry } from './reply-registry';

const handler = async () => undefined;

describe('ReplyRegistry', () => {
  it('takes turns between the handlers of a subject', () => {
    const registry = new ReplyRegistry();
    const a = { subject: 'identity.system.ping.v1', group: 'g', handler };
    const b = { subject: 'identity.system.ping.v1', group: 'g', handler };
    registry.add(a);
    registry.add(b);
    const picks = [1, 2, 3, 4].map(() => registry.pick('identity.system.ping.v1'));
    expect(picks).toEqual([a, b, a, b]);
  });

  it('routes by wildcard and finds nothing for other subjects', () => {
    const registry = new ReplyRegistry();
    const any = { subject: 'identity.>', group: 'g', handler };
    registry.add(any);
    expect(registry.pick('identity.system.ping.v1')).toBe(any);
    expect(registry.pick('function.system.ping.v1')).toBeUndefined();
  });

  it('forgets a removed handler', () => {
    const registry = new ReplyRegistry();
    const remove = registry.add({ subject: 'a.b', group: 'g', handler });
    remove();
    remove();
    expect(registry.pick('a.b')).toBeUndefined();
  });
});
