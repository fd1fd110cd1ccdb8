import { KubeConfig } from '@kubernetes/client-node';
import type { FakeKubeApi } from './fake-kube-api';

/**
 * A KubeConfig for @kubernetes/client-node that talks to the fake: plain HTTP on loopback (the
 * client allows `http:` only with `skipTLSVerify`), authenticated with the fake's bearer token.
 * `token` overrides it, e.g. to prove a wrong token is refused.
 */
export function fakeKubeConfig(fake: Pick<FakeKubeApi, 'url' | 'token'>, options: { token?: string } = {}): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server: fake.url, skipTLSVerify: true }],
    users: [{ name: 'dispatch-test', token: options.token ?? fake.token }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'dispatch-test' }],
    currentContext: 'fake',
  });
  return kc;
}
