import { isValidName } from '@dispatch/contracts';
import { deploymentOf, providerNameOf } from './deployment';
import { mergeSpec } from '../function/function-spec';

describe('deployment of a version', () => {
  it('names each version apart, as a DNS-1123 label even for the longest function names', () => {
    const id = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
    expect(providerNameOf('hello', id, 3)).toBe('hello-0f1e2d3c-v3');
    const long = providerNameOf(`${'a'.repeat(39)}-${'b'.repeat(23)}`, id, 123456);
    expect(isValidName(long)).toBe(true);
    expect(providerNameOf('hello', id, 1)).not.toBe(providerNameOf('hello', id, 2));
  });

  it('carries the spec as the OpenFaaS knobs: scale labels, watchdog variables, memory limit', () => {
    const merged = mergeSpec(
      undefined,
      {
        runtime: 'nodejs',
        handler: 'index.js',
        env: { GREETING: 'hi' },
        timeoutSeconds: 7,
        memoryMb: 128,
        maxConcurrency: 4,
        minReplicas: 0,
        maxReplicas: 3,
      },
      'f'.repeat(64),
    );
    if (!('spec' in merged)) throw new Error('unreachable');
    expect(
      deploymentOf(
        { providerName: 'hello-0f1e2d3c-v1', image: `local/${'f'.repeat(64)}`, org: 'acme', functionName: 'hello', version: 1 },
        merged.spec,
      ),
    ).toEqual({
      service: 'hello-0f1e2d3c-v1',
      image: `local/${'f'.repeat(64)}`,
      envVars: { GREETING: 'hi', DISPATCH_RUNTIME: 'nodejs', DISPATCH_HANDLER: 'index.js', max_inflight: '4', exec_timeout: '7s' },
      labels: {
        'com.openfaas.scale.min': '0',
        'com.openfaas.scale.max': '3',
        'dispatch.io/org': 'acme',
        'dispatch.io/function': 'hello',
        'dispatch.io/version': '1',
      },
      limits: { memory: '128Mi' },
    });
  });
});
