import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { Secret } from 'kubernetes-models/v1';
it('loads', () => {
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'c', server: 'http://127.0.0.1:1', skipTLSVerify: true }], users: [{ name: 'u', token: 't' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  expect(typeof kc.makeApiClient(CoreV1Api).createNamespacedSecret).toBe('function');
  expect(() => new Secret({ metadata: { name: 'x' }, data: { a: 1 as unknown as string } }).validate()).toThrow();
});
