import { openFaasBodyProblems } from './openfaas-contract';

describe('the OpenFaaS gateway body schema (../shared/specs/openfaas)', () => {
  it('accepts a valid deployment and status, and names what is wrong with invalid ones', () => {
    expect(openFaasBodyProblems('FunctionDeployment', { service: 'hello', image: 'dispatch.local/hello:1', labels: null })).toEqual([]);
    expect(
      openFaasBodyProblems('FunctionStatus', {
        name: 'hello',
        image: 'x',
        replicas: 1,
        availableReplicas: 0,
        createdAt: '2026-11-23T10:00:00Z',
      }),
    ).toEqual([]);
    expect(openFaasBodyProblems('FunctionDeployment', { service: 'Hello_World', image: 'x' }).join()).toMatch(
      /\/service must match pattern/,
    );
    expect(openFaasBodyProblems('FunctionDeployment', { image: 'x' }).join()).toMatch(/must have required property 'service'/);
    expect(openFaasBodyProblems('ScaleServiceRequest', { serviceName: 'a', namespace: 'n', replicas: -1 }).join()).toMatch(/replicas/);
  });
});
