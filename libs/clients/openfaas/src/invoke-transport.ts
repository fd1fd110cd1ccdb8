import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';
import { errorForTransport, type ProviderOperation } from './openfaas-errors';
import type { ResolvedOptions } from './openfaas-options';

/** An HTTP answer as it came: any status, the whole body. */
export interface RawAnswer {
  /** The status the function (or, for 404/5xx of its own, the provider) answered. */
  status: number;
  /** Response headers as node:http gives them: lower-case names, `set-cookie` as an array. */
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One POST on node:http, for `invoke` only. Measured against axios on the same keep-alive agent,
 * axios cost about 3x the client CPU per call (its config merge, header objects and stream
 * plumbing), which the platform-vs-direct benchmark would show as platform overhead; system calls
 * are rare and keep axios. What axios gave is done here: a wall-clock deadline covering connect,
 * send and the whole body; the caller's AbortSignal; a response size cap; transport errors mapped
 * by openfaas-errors like everywhere else.
 *
 * Rejects with: ProviderTimeoutError when `timeoutMs` passes; the signal's reason when the caller
 * aborts (as fetch does); SERVICE_UNAVAILABLE when the connection fails; PROVIDER_ERROR when the
 * body exceeds the cap. Resolves for every HTTP status.
 */
export function postRaw(
  target: ResolvedOptions,
  op: ProviderOperation,
  path: string,
  headers: OutgoingHttpHeaders,
  body: Buffer,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<RawAnswer> {
  return new Promise<RawAnswer>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let settled = false;
    const settle = (error: unknown, answer?: RawAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (answer) resolve(answer);
      else reject(error);
    };
    const request = target.secure ? https.request : http.request;
    const req = request(
      {
        ...(target.socketPath ? { socketPath: target.socketPath } : { hostname: target.hostname, port: target.port }),
        path,
        method: 'POST',
        agent: target.agent,
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > target.maxResponseBytes) {
            settle(tooLarge(op, target));
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          settle(undefined, {
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size),
          });
        });
        // The provider closed the connection mid-body (its process died, a proxy cut it).
        res.on('error', (err) => settle(mapTransport(op, err, target, timeoutMs)));
        res.on('close', () => {
          if (!res.complete)
            settle(mapTransport(op, Object.assign(new Error('response cut off'), { code: 'ECONNRESET' }), target, timeoutMs));
        });
      },
    );
    const timer = setTimeout(() => {
      settle(mapTransport(op, Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }), target, timeoutMs));
      req.destroy();
    }, timeoutMs);
    function onAbort(): void {
      settle(signal?.reason);
      req.destroy();
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => settle(mapTransport(op, err, target, timeoutMs)));
    req.end(body);
  });
}

function mapTransport(op: ProviderOperation, err: unknown, target: ResolvedOptions, timeoutMs: number): unknown {
  return errorForTransport(op, err, target.baseUrl, timeoutMs) ?? err;
}

function tooLarge(op: ProviderOperation, target: ResolvedOptions): DispatchError {
  return new DispatchError(
    ErrorCode.PROVIDER_ERROR,
    `the response to ${op.action} is larger than ${target.maxResponseBytes} bytes: have the function return less, or raise maxResponseBytes`,
    { provider: target.baseUrl, maxResponseBytes: target.maxResponseBytes },
  );
}
