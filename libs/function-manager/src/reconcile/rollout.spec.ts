import { ErrorCode } from '@dispatch/contracts';
import { InMemoryProvider } from '../provider/test-support/in-memory-provider';
import { specOf } from '../run/test-support/active-functions';
import { LOOK_FOR_HANDLER_ERROR_AFTER_MS, rolloutStep } from './rollout';

const version = { providerName: 'hello-0f1e2d3c-v2', image: 'local/abc', org: 'acme', functionName: 'hello', version: 2, spec: specOf() };
const TIMEOUT_MS = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms);

function startingProvider(...logLines: string[]): InMemoryProvider {
  const provider = new InMemoryProvider().hold(version, 'starting');
  provider.log(version.providerName, ...logLines);
  return provider;
}

describe('rolling a version out on the provider, one look at a time', () => {
  it('deploys a version the provider does not have, then waits for it', async () => {
    const provider = new InMemoryProvider();
    provider.readyOnDeploy = false;
    expect(await rolloutStep(provider, version, ago(0), TIMEOUT_MS)).toEqual({ next: 'wait' });
    expect(provider.deployment(version.providerName)).toEqual(version);
    expect(await rolloutStep(provider, version, ago(10), TIMEOUT_MS)).toEqual({ next: 'wait' });
  });

  it('promotes a version once the provider says it serves', async () => {
    const provider = startingProvider();
    provider.makeReady(version.providerName);
    expect(await rolloutStep(provider, version, ago(10), TIMEOUT_MS)).toEqual({ next: 'promote' });
  });

  it('fails a version the provider refuses, with its words, and retries one it could not ask', async () => {
    const refusing = new InMemoryProvider().refuseDeploys('image local/abc is not in the registry');
    expect(await rolloutStep(refusing, version, ago(0), TIMEOUT_MS)).toEqual({
      next: 'fail',
      why: 'the provider refused the deployment: image local/abc is not in the registry',
    });
    const down = new InMemoryProvider().unreachable();
    await expect(rolloutStep(down, version, ago(0), TIMEOUT_MS)).rejects.toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE });
  });

  it('fails a version whose handler cannot load with the runtime’s line, once it had time to say so', async () => {
    const provider = startingProvider(
      'worker starting (pid 7)',
      'hello-1 handler error: index.js has no export "handle"; export a function',
    );
    expect(await rolloutStep(provider, version, ago(LOOK_FOR_HANDLER_ERROR_AFTER_MS - 500), TIMEOUT_MS)).toEqual({ next: 'wait' });
    expect(await rolloutStep(provider, version, ago(LOOK_FOR_HANDLER_ERROR_AFTER_MS + 100), TIMEOUT_MS)).toEqual({
      next: 'fail',
      why: 'handler error: index.js has no export "handle"; export a function',
    });
  });

  it('waits for a slow version until the deploy timeout, then fails it with the provider’s last three log lines', async () => {
    const provider = startingProvider('one', '  two ', 'three', 'four ');
    expect(await rolloutStep(provider, version, ago(TIMEOUT_MS - 1000), TIMEOUT_MS)).toEqual({ next: 'wait' });
    expect(await rolloutStep(provider, version, ago(TIMEOUT_MS + 1000), TIMEOUT_MS)).toEqual({
      next: 'fail',
      why: "not ready after 61 s; the provider's last log lines: two | three | four",
    });
    expect(await rolloutStep(startingProvider(), version, ago(TIMEOUT_MS + 1000), TIMEOUT_MS)).toEqual({
      next: 'fail',
      why: 'not ready after 61 s',
    });
  });

  it('still fails a timed-out version when its logs cannot be read', async () => {
    const provider = startingProvider('never read');
    jest.spyOn(provider, 'recentLogs').mockRejectedValue(new Error('logs unavailable'));
    expect(await rolloutStep(provider, version, ago(LOOK_FOR_HANDLER_ERROR_AFTER_MS + 100), TIMEOUT_MS)).toEqual({ next: 'wait' });
    expect(await rolloutStep(provider, version, ago(TIMEOUT_MS + 1000), TIMEOUT_MS)).toEqual({ next: 'fail', why: 'not ready after 61 s' });
  });
});
