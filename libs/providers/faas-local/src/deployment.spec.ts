import type { OpenFaasFunctionDeployment } from '@dispatch/contracts';
import { resolveDeployment, type DeploymentRules } from './deployment';

const HEX = 'a'.repeat(64);
const rules: DeploymentRules = {
  runtimes: ['nodejs', 'python3'],
  imagesRoot: '/images/',
  imageExists: (dir) => dir === `/images/${HEX}`,
  defaults: { minReplicas: 1, maxReplicas: 5, maxInflight: 1, execTimeoutMs: 60_000 },
  replicaLimit: 20,
};

const base = (extra: Partial<OpenFaasFunctionDeployment> = {}): OpenFaasFunctionDeployment => ({
  service: 'hello',
  image: `local/${HEX}`,
  envVars: { DISPATCH_RUNTIME: 'nodejs', DISPATCH_HANDLER: 'index.js' },
  ...extra,
});
const problem = (body: unknown) => {
  const result = resolveDeployment(body, rules);
  return result.ok ? undefined : result.problem;
};

describe('resolveDeployment', () => {
  it('resolves the defaults of a minimal deployment', () => {
    const result = resolveDeployment(base(), rules);
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({
        name: 'hello',
        namespace: 'openfaas-fn',
        codeDir: `/images/${HEX}`,
        runtime: 'nodejs',
        handler: 'index.js',
        execTimeoutMs: 60_000,
        minReplicas: 1,
        maxReplicas: 5,
        maxInflight: 1,
        memoryLimitBytes: undefined,
      }),
    });
  });

  it('reads the knobs function-manager sets (labels, watchdog env vars, limits.memory)', () => {
    const result = resolveDeployment(
      base({
        namespace: 'team',
        envVars: { DISPATCH_RUNTIME: 'python3', DISPATCH_HANDLER: 'hello.handle', max_inflight: '4', exec_timeout: '30s' },
        labels: { 'com.openfaas.scale.min': '0', 'com.openfaas.scale.max': '3' },
        limits: { memory: '256Mi' },
      }),
      rules,
    );
    expect(result).toMatchObject({
      ok: true,
      value: {
        namespace: 'team',
        runtime: 'python3',
        maxInflight: 4,
        execTimeoutMs: 30_000,
        minReplicas: 0,
        maxReplicas: 3,
        memoryLimitBytes: 256 * 1024 * 1024,
        memoryLimitMb: 256,
      },
    });
  });

  it('reads max_inflight 0 as unlimited and raises the default scale.max to a higher scale.min', () => {
    const result = resolveDeployment(
      base({
        envVars: { DISPATCH_RUNTIME: 'nodejs', DISPATCH_HANDLER: 'i.js', max_inflight: '0' },
        labels: { 'com.openfaas.scale.min': '7' },
      }),
      rules,
    );
    expect(result).toMatchObject({ ok: true, value: { maxInflight: Infinity, minReplicas: 7, maxReplicas: 7 } });
  });

  it('names the problem of each bad deployment', () => {
    expect(problem(null)).toMatch(/JSON object/);
    expect(problem([])).toMatch(/JSON object/);
    expect(problem({ image: 'x' })).toMatch(/service is required/);
    expect(problem(base({ service: 'Hello' }))).toMatch(/DNS-1123/);
    expect(problem(base({ image: '' }))).toMatch(/image is required/);
    expect(problem(base({ image: 'nginx:1' }))).toMatch(/not a local image/);
    expect(problem(base({ image: `local/${'b'.repeat(64)}` }))).toMatch(/not found: no code tree at \/images\/b+/);
    expect(problem(base({ envVars: { DISPATCH_HANDLER: 'i.js' } }))).toMatch(/DISPATCH_RUNTIME is required: one of nodejs, python3/);
    expect(problem(base({ envVars: { DISPATCH_RUNTIME: 'go', DISPATCH_HANDLER: 'i.js' } }))).toMatch(/"go" is not a runtime/);
    expect(problem(base({ envVars: { DISPATCH_RUNTIME: 'nodejs' } }))).toMatch(/DISPATCH_HANDLER is required/);
    expect(problem(base({ envVars: { DISPATCH_RUNTIME: 'nodejs', DISPATCH_HANDLER: 'i.js', 'BAD-NAME': 'x' } }))).toMatch(/BAD-NAME/);
    expect(problem(base({ envVars: { DISPATCH_RUNTIME: 'nodejs', DISPATCH_HANDLER: 'i.js', exec_timeout: '1y' } }))).toMatch(
      /exec_timeout "1y"/,
    );
    expect(problem(base({ envVars: { DISPATCH_RUNTIME: 'nodejs', DISPATCH_HANDLER: 'i.js', max_inflight: '1001' } }))).toMatch(
      /max_inflight is 1001/,
    );
    expect(problem(base({ labels: { 'com.openfaas.scale.max': '0' } }))).toMatch(/scale.max is 0/);
    expect(problem(base({ labels: { 'com.openfaas.scale.max': '21' } }))).toMatch(/scale.max is 21, outside 1–20/);
    expect(problem(base({ labels: { 'com.openfaas.scale.min': '4', 'com.openfaas.scale.max': '2' } }))).toMatch(/scale.min \(4\) is above/);
    expect(problem(base({ limits: { memory: '1' } }))).toMatch(/limits.memory/);
    expect(problem({ ...base(), labels: { a: 1 } })).toMatch(/labels must map/);
    expect(problem({ ...base(), limits: { memory: 128 } })).toMatch(/limits must be/);
    expect(problem({ ...base(), secrets: 'x' })).toMatch(/secrets must be an array/);
  });
});
