import { ErrorCode, type FunctionEnvelope, type OpenFaasFunctionStatus } from '@dispatch/contracts';
import { ProviderTimeoutError, type OpenFaasClient } from '@dispatch/openfaas-client';
import { DispatchError } from '@dispatch/platform';
import { deploymentOf } from '../version/deployment';
import { specOf } from '../run/test-support/active-functions';
import { OpenFaasProvider } from './openfaas-provider';

function providerOver(client: Partial<Record<keyof OpenFaasClient, jest.Mock>>): OpenFaasProvider {
  return new OpenFaasProvider(client as unknown as OpenFaasClient);
}

const version = {
  providerName: 'hello-0f1e2d3c-v1',
  image: 'local/abc',
  org: 'acme',
  functionName: 'hello',
  version: 1,
  spec: specOf({ memoryMb: 128 }),
};
const envelope: FunctionEnvelope = {
  context: { runId: 'r1', functionName: 'hello', org: 'acme', deadline: 1, secrets: {}, serviceBindings: {} },
  payload: { name: 'Ada' },
};

describe('the function provider over the OpenFaaS client', () => {
  it('deploys a version as its OpenFaaS deployment', async () => {
    const deploy = jest.fn().mockResolvedValue(undefined);
    await providerOver({ deploy }).deploy(version);
    expect(deploy).toHaveBeenCalledWith(deploymentOf(version, version.spec));
  });

  it('calls a version absent, starting or ready by its available replicas', async () => {
    const statuses: Record<string, Partial<OpenFaasFunctionStatus> | undefined> = {
      gone: undefined,
      cold: { name: 'cold', availableReplicas: 0 },
      fresh: { name: 'fresh' },
      warm: { name: 'warm', availableReplicas: 2 },
    };
    const provider = providerOver({ find: jest.fn(async (name: string) => statuses[name]) });
    expect(await provider.state('gone')).toBe('absent');
    expect(await provider.state('cold')).toBe('starting');
    expect(await provider.state('fresh')).toBe('starting');
    expect(await provider.state('warm')).toBe('ready');
  });

  it('lists the names it has and reads the last log lines as text', async () => {
    const logs = jest.fn().mockResolvedValue([
      { name: 'a', instance: 'a-1', timestamp: 't', text: 'line 1' },
      { name: 'a', instance: 'a-1', timestamp: 't', text: 'line 2' },
    ]);
    const provider = providerOver({ list: jest.fn().mockResolvedValue([{ name: 'a' }, { name: 'b' }]), logs });
    expect(await provider.deployedNames()).toEqual(['a', 'b']);
    expect(await provider.recentLogs('a', 20)).toEqual(['line 1', 'line 2']);
    expect(logs).toHaveBeenCalledWith('a', { tail: 20 });
  });

  it('counts removing a version it does not have as removed, and passes on any other failure', async () => {
    await expect(
      providerOver({ remove: jest.fn().mockRejectedValue(new DispatchError(ErrorCode.NOT_FOUND, 'function a not found')) }).remove('a'),
    ).resolves.toBeUndefined();
    const down = new DispatchError(ErrorCode.SERVICE_UNAVAILABLE, 'not reachable');
    await expect(providerOver({ remove: jest.fn().mockRejectedValue(down) }).remove('a')).rejects.toBe(down);
  });

  it('sends the envelope as JSON within the budget and answers what came back', async () => {
    const invoke = jest.fn().mockResolvedValue({
      status: 200,
      headers: {},
      callId: 'c',
      body: Buffer.from('{"context":{"logs":{"stdout":[],"stderr":[]}},"payload":1}'),
    });
    const answer = await providerOver({ invoke }).call('hello-v1', envelope, { timeoutMs: 4000 });
    expect(answer).toEqual({ kind: 'replied', reply: { context: { logs: { stdout: [], stderr: [] } }, payload: 1 } });
    const [name, body, options] = invoke.mock.calls[0];
    expect(name).toBe('hello-v1');
    expect(JSON.parse((body as Buffer).toString())).toEqual(envelope);
    expect(options).toEqual({ timeoutMs: 4000, headers: { 'content-type': 'application/json' } });
  });

  it('never rejects a call: no answer in time is a timeout, anything else the provider failing', async () => {
    const late = providerOver({
      invoke: jest.fn().mockRejectedValue(new ProviderTimeoutError('did not answer within 4000 ms', 4000, 'http://gateway')),
    });
    expect(await late.call('hello-v1', envelope, { timeoutMs: 4000 })).toMatchObject({ kind: 'timeout' });
    const refused = providerOver({
      invoke: jest.fn().mockRejectedValue(new DispatchError(ErrorCode.SERVICE_UNAVAILABLE, 'not reachable (ECONNREFUSED)')),
    });
    expect(await refused.call('hello-v1', envelope, { timeoutMs: 4000 })).toEqual({
      kind: 'error',
      detail: 'the function provider failed: not reachable (ECONNREFUSED)',
    });
  });
});
