import type { OutgoingHttpHeaders } from 'node:http';
import { CALL_HEADER, type ProviderFailure } from '@dispatch/contracts';

/** A call as the pool carries it to a worker: the body already read, the headers already filtered. */
export interface CallRequest {
  method: string;
  path: string;
  headers: OutgoingHttpHeaders;
  body: Buffer;
  /** Set by the route when its client went away: a call still queued is then skipped. */
  abandoned?: boolean;
  /** Times the call was sent back to the queue because its worker could not be reached at all. */
  requeued?: number;
}

/** What a call got: the worker's answer as it came, or the provider's own failure of it. */
export interface CallResult {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
  /** Set when the provider, not the function, failed the call (the X-Dispatch-Failure header). */
  failure?: ProviderFailure;
}

export function failureResult(status: number, failure: ProviderFailure, message: string): CallResult {
  return {
    status,
    failure,
    headers: { 'content-type': 'text/plain; charset=utf-8', [CALL_HEADER.failure]: failure },
    body: Buffer.from(message),
  };
}
