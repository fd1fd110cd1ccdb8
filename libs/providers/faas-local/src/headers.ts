import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { CALL_HEADER } from '@dispatch/contracts';

/**
 * Headers that belong to one hop (RFC 9110 §7.6.1), so neither a call nor a worker's answer
 * carries them on; with them the two the provider sets for its own hop: the body's length, which
 * it recomputes, and the host of its connection to the worker.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'host',
  'content-length',
]);

/** What the provider relays of `headers`, between a caller and a worker in either direction. */
export function relayedHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  // Connection may name more headers of this hop (RFC 9110 §7.6.1).
  const named = headers.connection
    ? new Set(
        headers.connection
          .toLowerCase()
          .split(',')
          .map((n) => n.trim()),
      )
    : undefined;
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) if (!HOP_BY_HOP.has(name) && !named?.has(name)) out[name] = headers[name];
  return out;
}

const PROVIDER_OWNED: ReadonlySet<string> = new Set(Object.values(CALL_HEADER));

/**
 * What the provider relays of a worker's answer: the relayed headers less the provider's own,
 * which it alone sets (a function must not pass its answer off as a timeout, or choose its call id).
 */
export function workerAnswerHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out = relayedHeaders(headers);
  for (const name of PROVIDER_OWNED) delete out[name];
  return out;
}
