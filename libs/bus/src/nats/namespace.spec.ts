import { Namespace } from './namespace';

describe('Namespace', () => {
  it('prefixes subjects, requests and streams and strips the prefix again', () => {
    const ns = new Namespace('t1234');
    expect(ns.subject('identity.org.created.v1')).toBe('t1234.identity.org.created.v1');
    expect(ns.request('identity.system.ping.v1')).toBe('t1234.rpc.identity.system.ping.v1');
    expect(ns.stream('DISPATCH')).toBe('t1234_DISPATCH');
    expect(ns.local('t1234.identity.org.created.v1')).toBe('identity.org.created.v1');
    expect(ns.localRequest('t1234.rpc.identity.system.ping.v1')).toBe('identity.system.ping.v1');
  });

  it('changes nothing without a namespace except the request root', () => {
    const ns = new Namespace();
    expect(ns.subject('a.b')).toBe('a.b');
    expect(ns.request('a.b')).toBe('rpc.a.b');
    expect(ns.stream('DISPATCH')).toBe('DISPATCH');
    expect(ns.local('a.b')).toBe('a.b');
    expect(ns.localRequest('rpc.a.b')).toBe('a.b');
  });

  it('rejects a namespace that is not a single token', () => {
    expect(() => new Namespace('a.b')).toThrow(/namespace/);
  });
});
