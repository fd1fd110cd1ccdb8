import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { KongService } from '../kong-entities';

/** Kong's default service timeouts, in milliseconds. */
const DEFAULT_TIMEOUT = 60_000;

export type ForwardOutcome = { kind: 'response'; response: IncomingMessage; sentAt: number } | { kind: 'failed'; status: 502 | 504 };

export interface ForwardRequest {
  service: KongService;
  method: string;
  target: string;
  headers: OutgoingHttpHeaders;
  /** A buffered body, or the downstream request to stream. */
  body: Buffer | IncomingMessage | undefined;
}

/**
 * Sends the request to the service: 502 when it cannot connect or answers garbage, 504 when the
 * connection is not made within connect_timeout, the request not written within write_timeout,
 * or no response comes within read_timeout (each Kong's service timeouts, as nginx applies them).
 * The response body is the caller's to stream; its read timeout stays on the socket.
 */
export function forward(request: ForwardRequest, agents: { http: http.Agent; https: https.Agent }): Promise<ForwardOutcome> {
  const { service } = request;
  const secure = service.protocol === 'https';
  const connectTimeout = service.connect_timeout ?? DEFAULT_TIMEOUT;
  const writeTimeout = service.write_timeout ?? DEFAULT_TIMEOUT;
  const readTimeout = service.read_timeout ?? DEFAULT_TIMEOUT;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: ForwardOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const upstream = (secure ? https : http).request({
      protocol: secure ? 'https:' : 'http:',
      host: service.host,
      port: service.port ?? (secure ? 443 : 80),
      method: request.method,
      path: request.target,
      headers: request.headers,
      agent: secure ? agents.https : agents.http,
      servername: secure ? service.host : undefined,
    });
    const sentAt = Date.now();
    const fail = (status: 502 | 504) => {
      settle({ kind: 'failed', status });
      upstream.destroy();
    };
    upstream.on('socket', (socket) => {
      // The request may be fully handed to the socket before it even connects.
      const startTimers = () => {
        if (upstream.writableFinished) upstream.setTimeout(readTimeout);
        else {
          upstream.setTimeout(writeTimeout);
          upstream.once('finish', () => upstream.setTimeout(readTimeout));
        }
      };
      if (socket.connecting) {
        const connectTimer = setTimeout(() => fail(504), connectTimeout);
        socket.once('connect', () => {
          clearTimeout(connectTimer);
          startTimers();
        });
        socket.once('close', () => clearTimeout(connectTimer));
      } else startTimers();
    });
    upstream.on('timeout', () => {
      if (!settled) fail(504);
      else upstream.destroy(new Error('upstream read timed out'));
    });
    upstream.on('error', () => fail(502));
    upstream.on('response', (response) => settle({ kind: 'response', response, sentAt }));
    if (Buffer.isBuffer(request.body)) upstream.end(request.body);
    else if (request.body) {
      // A client that goes away mid-body takes the upstream request with it.
      request.body.once('error', () => upstream.destroy());
      request.body.pipe(upstream);
    } else upstream.end();
  });
}
