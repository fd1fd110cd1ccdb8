import { createFunctionBody, FUNCTION_LIMITS, mergeSpec } from './function-spec';

describe('function spec', () => {
  const digest = 'a'.repeat(64);

  it('fills defaults and keeps what a later change leaves out', () => {
    const first = mergeSpec(undefined, { runtime: 'nodejs', handler: 'index.js' }, digest);
    expect(first).toEqual({
      spec: expect.objectContaining({
        runtime: 'nodejs',
        image: null,
        sourceDigest: digest,
        timeoutSeconds: 30,
        memoryMb: 256,
        maxConcurrency: 1,
        minReplicas: 1,
        maxReplicas: 5,
        env: {},
      }),
    });
    if (!('spec' in first)) throw new Error('unreachable');
    const second = mergeSpec(first.spec, { env: { A: '1' }, timeoutSeconds: 5 }, undefined);
    expect(second).toEqual({ spec: { ...first.spec, env: { A: '1' }, timeoutSeconds: 5 } });
  });

  it('switches between source and image, dropping the other', () => {
    const fromSource = mergeSpec(undefined, { runtime: 'python3', handler: 'hello.handle' }, digest);
    if (!('spec' in fromSource)) throw new Error('unreachable');
    const toImage = mergeSpec(fromSource.spec, { image: 'registry.example/fn:1' }, undefined);
    expect(toImage).toEqual({ spec: expect.objectContaining({ image: 'registry.example/fn:1', runtime: null, sourceDigest: null }) });
  });

  it('names every problem of an incomplete or contradictory spec', () => {
    expect(mergeSpec(undefined, {}, undefined)).toEqual({ problems: [expect.stringContaining('give a runtime')] });
    expect(mergeSpec(undefined, { runtime: 'nodejs' }, undefined)).toEqual({
      problems: [expect.stringContaining('needs its source'), expect.stringContaining('handler: name the file')],
    });
    expect(mergeSpec(undefined, { image: 'x', minReplicas: 4, maxReplicas: 2 }, undefined)).toEqual({
      problems: ['minReplicas: 4 is more than maxReplicas 2'],
    });
  });

  it('refuses out-of-range limits, reserved env names and unknown fields at the edge', () => {
    const bad = createFunctionBody.safeParse({
      name: 'Bad_Name',
      runtime: 'cobol',
      timeoutSeconds: FUNCTION_LIMITS.timeoutSeconds.max + 1,
      memoryMb: 1,
      env: { DISPATCH_SECRET: 'x', '1bad': 'y' },
      extra: true,
    });
    expect(bad.success).toBe(false);
    const fields = bad.error!.issues.map((i) => i.path.join('.') || i.message);
    expect(fields).toEqual(expect.arrayContaining(['name', 'runtime', 'timeoutSeconds', 'memoryMb', 'env.DISPATCH_SECRET', 'env.1bad']));
    expect(bad.error!.issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);
  });
});
