import http, { type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Logger } from 'pino';

/** Delays before each attempt: the callback receiver may be restarting (solo mode's own API). */
const ATTEMPT_DELAYS_MS = [0, 500, 2000];
const ATTEMPT_TIMEOUT_MS = 10_000;

function postOnce(url: URL, headers: OutgoingHttpHeaders, body: Buffer): Promise<number> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': body.length }, timeout: ATTEMPT_TIMEOUT_MS },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', reject);
      },
    );
    req.once('timeout', () => req.destroy(new Error(`no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`)));
    req.once('error', reject);
    req.end(body);
  });
}

/**
 * Delivers an async call's result to its X-Callback-Url, as the OpenFaaS queue-worker does: a
 * POST of the function's body with X-Call-Id, X-Function-Status, X-Function-Name and
 * X-Duration-Seconds. Retried on network errors and 5xx (a lost callback is a lost run result);
 * a 4xx is final. Never rejects: the outcome is logged.
 */
export async function postCallback(url: URL, headers: OutgoingHttpHeaders, body: Buffer, logger: Logger): Promise<boolean> {
  let problem = '';
  for (const delay of ATTEMPT_DELAYS_MS) {
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    try {
      const status = await postOnce(url, headers, body);
      if (status < 500) {
        if (status >= 400) logger.warn({ callbackUrl: url.origin + url.pathname, status }, 'async call callback refused');
        return status < 400;
      }
      problem = `status ${status}`;
    } catch (err) {
      problem = err instanceof Error ? err.message : String(err);
    }
  }
  logger.warn({ callbackUrl: url.origin + url.pathname, problem }, 'async call callback could not be delivered');
  return false;
}
