import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import {
  DISPATCH_HEADER_FAILURE,
  OPENFAAS_HEADER_CALL_ID,
  OPENFAAS_HEADER_CALLBACK_URL,
  OPENFAAS_HEADER_DURATION,
  OPENFAAS_HEADER_FUNCTION_NAME,
  OPENFAAS_HEADER_FUNCTION_STATUS,
} from '@dispatch/contracts';

/**
 * The gateway's headers of the contracts, in lower case: Node hands incoming names over in lower
 * case, and a name the provider adds to a worker's headers must match theirs, or both are sent.
 */
export const HEADER = {
  callId: OPENFAAS_HEADER_CALL_ID.toLowerCase(),
  callbackUrl: OPENFAAS_HEADER_CALLBACK_URL.toLowerCase(),
  duration: OPENFAAS_HEADER_DURATION.toLowerCase(),
  functionName: OPENFAAS_HEADER_FUNCTION_NAME.toLowerCase(),
  functionStatus: OPENFAAS_HEADER_FUNCTION_STATUS.toLowerCase(),
  failure: DISPATCH_HEADER_FAILURE.toLowerCase(),
} as const;

/**
 * Headers that belong to one hop (RFC 9110 §7.6.1), so neither a call nor a worker's answer
 * carries them on; with them the two the provider sets for its own hop: the body's length, which
 * it recomputes, and the host of its connection to the worker.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'content-length']);

/** What the provider relays of `headers`, between a caller and a worker in either direction. */
export function relayedHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) if (!HOP_BY_HOP.has(name)) out[name] = headers[name];
  return out;
}
