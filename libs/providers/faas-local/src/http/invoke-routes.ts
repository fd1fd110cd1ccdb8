import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { CALL_HEADER, OPENFAAS_HEADER_CALLBACK_URL } from '@dispatch/contracts';
import type { Logger } from 'pino';
import { postCallback } from '../async-callback';
import type { CallRequest, CallResult } from '../call';
import { relayedHeaders } from '../headers';
import type { FunctionRegistry } from '../registry';
import { parseFunctionPath } from './function-path';
import { readBody, sendEmpty, sendText } from './respond';

export interface InvokeDeps {
  registry: FunctionRegistry;
  maxBodyBytes: number;
  logger: Logger;
  /** Keeps an async call's promise until it settles, so stop() can wait for it. */
  trackAsync(work: Promise<unknown>): void;
}

function forwardHeaders(incoming: IncomingHttpHeaders, callId: string, length: number): OutgoingHttpHeaders {
  const out = relayedHeaders(incoming);
  out[CALL_HEADER.callId] = callId;
  out['content-length'] = length;
  return out;
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
const durationHeader = (started: number) => ((performance.now() - started) / 1000).toFixed(6);

/**
 * `ANY /function/{name}[/extra]`: the hot path. The body is read whole and relayed as bytes
 * (never parsed), the worker's status, headers and body come back as they are, plus X-Call-Id
 * and X-Duration-Seconds. Nothing is logged per call above debug.
 */
export async function handleInvoke(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: string,
  deps: InvokeDeps,
): Promise<void> {
  const started = performance.now();
  const target = parseFunctionPath(path, '/function/');
  const pool = target && deps.registry.get(target.name, target.namespace);
  if (!target || !pool) return sendText(res, 404, `function ${target?.name ?? path.slice('/function/'.length)} not found`);
  const callId = first(req.headers[CALL_HEADER.callId]) || randomUUID();
  const body = await readBody(req, deps.maxBodyBytes);
  const call: CallRequest = {
    method: req.method ?? 'GET',
    path: target.rest + query,
    headers: forwardHeaders(req.headers, callId, body.length),
    body,
  };
  // A caller that hangs up while its call waits frees the queue slot.
  res.once('close', () => {
    if (!res.writableFinished) call.abandoned = true;
  });
  const result = await pool.invoke(call);
  const duration = durationHeader(started);
  pool.stats.record(result.status, Number(duration));
  if (res.destroyed) return;
  const headers = result.headers;
  headers[CALL_HEADER.callId] = callId;
  headers[CALL_HEADER.duration] = duration;
  headers['content-length'] = result.body.length;
  res.writeHead(result.status, headers);
  res.end(result.body);
}

/**
 * `POST /async-function/{name}`: 202 at once; the call waits in the function's queue like any
 * other, and its result is POSTed to X-Callback-Url when there is one. Unlike the CE gateway, an
 * unknown function is a 404 here: the provider knows its functions.
 */
export async function handleAsync(req: IncomingMessage, res: ServerResponse, path: string, query: string, deps: InvokeDeps): Promise<void> {
  if (req.method !== 'POST') return sendText(res, 405, 'async calls are POST requests', { allow: 'POST' });
  const target = parseFunctionPath(path, '/async-function/');
  const pool = target && deps.registry.get(target.name, target.namespace);
  if (!target || !pool) return sendText(res, 404, `function ${target?.name ?? path.slice('/async-function/'.length)} not found`);
  const callbackHeader = first(req.headers[CALL_HEADER.callbackUrl]);
  let callbackUrl: URL | undefined;
  if (callbackHeader !== undefined) {
    callbackUrl = URL.canParse(callbackHeader) ? new URL(callbackHeader) : undefined;
    if (!callbackUrl || (callbackUrl.protocol !== 'http:' && callbackUrl.protocol !== 'https:')) {
      return sendText(res, 400, `${OPENFAAS_HEADER_CALLBACK_URL} "${callbackHeader}" is not an http(s) URL`);
    }
  }
  if (!pool.canQueue)
    return sendText(res, 429, `function ${pool.name} cannot queue more calls: retry later`, { [CALL_HEADER.failure]: 'unavailable' });
  const callId = first(req.headers[CALL_HEADER.callId]) || randomUUID();
  const body = await readBody(req, deps.maxBodyBytes);
  const call: CallRequest = { method: 'POST', path: target.rest + query, headers: forwardHeaders(req.headers, callId, body.length), body };
  res.setHeader(CALL_HEADER.callId, callId);
  sendEmpty(res, 202);
  const started = performance.now();
  deps.trackAsync(
    pool.invoke(call).then(async (result: CallResult) => {
      const duration = durationHeader(started);
      pool.stats.record(result.status, Number(duration));
      if (!callbackUrl) return;
      const headers: OutgoingHttpHeaders = {
        'content-type': result.headers['content-type'] ?? 'application/octet-stream',
        [CALL_HEADER.callId]: callId,
        [CALL_HEADER.functionStatus]: String(result.status),
        [CALL_HEADER.functionName]: pool.name,
        [CALL_HEADER.duration]: duration,
      };
      if (result.failure) headers[CALL_HEADER.failure] = result.failure;
      await postCallback(callbackUrl, headers, result.body, deps.logger);
    }),
  );
}
