import { isProviderTimeout, type InvokeResult } from '@dispatch/openfaas-client';
import { storableJsonText } from '../run/storable-json';
import type { CallAnswer } from './function-provider';

/**
 * What an OpenFaaS gateway's answer to a call means, the one place that reads statuses and the
 * failure header: faas-local names its verdict in X-Dispatch-Failure (the client hands it over as
 * `failure`); a 504 without one is the gateway's own upstream timeout; any other status but 200 is
 * the provider failing, not the function, since the runtime answers 200 even when the function threw.
 */
export function answerOf(result: Pick<InvokeResult, 'status' | 'body' | 'failure'>): CallAnswer {
  if (result.failure) return { kind: result.failure, detail: snippet(result.body) };
  if (result.status === 504) return { kind: 'timeout', detail: snippet(result.body) };
  if (result.status !== 200) return { kind: 'error', detail: `the function provider answered ${result.status}: ${snippet(result.body)}` };
  try {
    // Read as its record will keep it, so a blocking caller is answered with the run that is stored.
    return { kind: 'replied', reply: JSON.parse(storableJsonText(result.body.toString('utf8'))) };
  } catch {
    return { kind: 'error', detail: `the function's runtime answered something that is not JSON: ${snippet(result.body)}` };
  }
}

/** What a call that got no answer means: past its budget, a timeout; otherwise the provider could not be used. */
export function answerOfError(err: unknown): CallAnswer {
  if (isProviderTimeout(err)) return { kind: 'timeout', detail: err.message };
  return { kind: 'error', detail: `the function provider failed: ${(err as Error).message}` };
}

function snippet(body: Buffer): string {
  const text = body.subarray(0, 512).toString('utf8').trim();
  return text || '(no message)';
}
