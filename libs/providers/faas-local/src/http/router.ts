import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { prometheusText } from '../metrics';
import type { FunctionRegistry } from '../registry';
import { basicAuthChecker, type BasicAuthCredentials } from './basic-auth';
import { handleAsync, handleInvoke, type InvokeDeps } from './invoke-routes';
import { BodyTooLarge, sendText } from './respond';
import { handleSystem, type SystemDeps } from './system-routes';

export interface RouterDeps extends InvokeDeps, SystemDeps {
  registry: FunctionRegistry;
  basicAuth?: BasicAuthCredentials;
  logger: Logger;
}

/**
 * The gateway's route table: `/function/*` and `/async-function/*` first (the hot path: a prefix
 * test, no regular expression), then `/healthz`, `/metrics`, and `/system/*` behind basic auth
 * when it is configured (as the gateway: call routes and health stay open).
 */
export function createRouter(deps: RouterDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const authorized = deps.basicAuth ? basicAuthChecker(deps.basicAuth) : () => true;

  const fail = (res: ServerResponse, err: unknown) => {
    if (res.headersSent) return void res.destroy();
    if (err instanceof BodyTooLarge) return sendText(res, 413, err.message, { connection: 'close' });
    deps.logger.error({ err }, 'faas-local request failed');
    sendText(res, 500, `faas-local failed: ${err instanceof Error ? err.message : String(err)}`);
  };

  return (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? '' : url.slice(q);
    let work: Promise<void> | void;
    try {
      if (path.startsWith('/function/')) work = handleInvoke(req, res, path, query, deps);
      else if (path.startsWith('/async-function/')) work = handleAsync(req, res, path, query, deps);
      else if (path === '/healthz') work = sendText(res, 200, 'OK');
      else if (path === '/metrics') {
        const text = prometheusText(
          deps.registry
            .list()
            .map((p) => ({ name: p.name, namespace: p.spec.namespace, stats: p.stats.snapshot(), replicas: p.status().replicas ?? 0 })),
        );
        work = sendText(res, 200, text, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      } else if (path.startsWith('/system/')) {
        if (!authorized(req.headers.authorization))
          work = sendText(res, 401, 'unauthorized', { 'www-authenticate': 'Basic realm="faas-local"' });
        else work = handleSystem(req, res, path, query, deps);
      } else work = sendText(res, 404, `no route ${req.method} ${path}`);
    } catch (err) {
      return fail(res, err);
    }
    if (work) work.catch((err: unknown) => fail(res, err));
  };
}
