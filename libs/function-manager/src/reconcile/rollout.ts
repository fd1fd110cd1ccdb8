import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';
import type { FunctionProvider, VersionDeployment } from '../provider/function-provider';

/** After this long without becoming ready, the provider's logs are read for a handler error. */
export const LOOK_FOR_HANDLER_ERROR_AFTER_MS = 1500;
/** The runtimes' line when a handler cannot be loaded: it says what to fix. */
const HANDLER_ERROR = 'handler error:';

/** What to do with a version being rolled out, after one look at the provider. */
export type RolloutStep = { next: 'promote' } | { next: 'wait' } | { next: 'fail'; why: string };

/**
 * One look at a version on its way to serving: deployed when the provider does not have it yet,
 * promoted once it serves, failed when the provider refuses it, when its handler cannot load (a
 * wait would never end) or when it is still not ready after `timeoutMs`; otherwise looked at again.
 * Errors other than a refusal are thrown: the provider could not be asked, and asking again may work.
 */
export async function rolloutStep(
  provider: FunctionProvider,
  version: VersionDeployment,
  since: Date,
  timeoutMs: number,
): Promise<RolloutStep> {
  const state = await provider.state(version.providerName);
  if (state === 'absent') {
    try {
      await provider.deploy(version);
    } catch (err) {
      if (err instanceof DispatchError && err.code === ErrorCode.PROVIDER_ERROR)
        return { next: 'fail', why: `the provider refused the deployment: ${err.message}` };
      throw err;
    }
    return { next: 'wait' };
  }
  if (state === 'ready') return { next: 'promote' };
  const waited = Date.now() - since.getTime();
  if (waited <= LOOK_FOR_HANDLER_ERROR_AFTER_MS) return { next: 'wait' };
  const logs = await provider.recentLogs(version.providerName, 20).catch((): string[] => []);
  const handlerError = logs.find((line) => line.includes(HANDLER_ERROR));
  if (handlerError) return { next: 'fail', why: handlerError.slice(handlerError.indexOf(HANDLER_ERROR)) };
  if (waited > timeoutMs) {
    const last = logs.slice(-3).map((line) => line.trim());
    return {
      next: 'fail',
      why: `not ready after ${Math.round(waited / 1000)} s${last.length ? `; the provider's last log lines: ${last.join(' | ')}` : ''}`,
    };
  }
  return { next: 'wait' };
}
