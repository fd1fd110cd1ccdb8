import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OpenFaasGatewayInfo } from '@dispatch/contracts';
import { DEFAULT_NAMESPACE, isObject } from '../deployment';
import type { FunctionRegistry } from '../registry';
import { readJson, sendEmpty, sendJson, sendText } from './respond';

export interface SystemDeps {
  registry: FunctionRegistry;
  info: OpenFaasGatewayInfo;
  /** Largest JSON body of a /system route. */
  maxJsonBytes: number;
}

/** A malformed escape is just a name that matches no function. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  sendText(res, 405, `method not allowed: ${allow}`, { allow });
}

/** The /system/* routes of the OpenFaaS gateway (ENDPOINTS.md), behind basic auth when configured. */
export async function handleSystem(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: string,
  deps: SystemDeps,
): Promise<void> {
  const method = req.method ?? 'GET';
  const params = new URLSearchParams(query.slice(1));
  const namespace = params.get('namespace') || undefined;
  const { registry } = deps;

  if (path === '/system/info') return method === 'GET' ? sendJson(res, 200, deps.info) : methodNotAllowed(res, 'GET');

  if (path === '/system/functions') {
    if (method === 'GET')
      return sendJson(
        res,
        200,
        registry.list(namespace).map((p) => p.status()),
      );
    if (method === 'POST' || method === 'PUT') {
      const body = await readJson(req, deps.maxJsonBytes);
      if (!body.ok) return sendText(res, 400, body.problem);
      const result = method === 'POST' ? registry.deploy(body.value) : registry.update(body.value);
      if (!result.ok) return sendText(res, result.status, result.message);
      return sendEmpty(res, method === 'POST' ? 202 : 200);
    }
    if (method === 'DELETE') {
      const body = await readJson(req, deps.maxJsonBytes);
      if (!body.ok) return sendText(res, 400, body.problem);
      if (!isObject(body.value) || typeof body.value['functionName'] !== 'string' || !body.value['functionName']) {
        return sendText(res, 400, 'functionName is required: {"functionName": "<name>"}');
      }
      const name = body.value['functionName'];
      const ns = typeof body.value['namespace'] === 'string' && body.value['namespace'] ? body.value['namespace'] : undefined;
      return registry.remove(name, ns) ? sendEmpty(res, 200) : sendText(res, 404, `function ${name} not found`);
    }
    return methodNotAllowed(res, 'GET, POST, PUT, DELETE');
  }

  if (path.startsWith('/system/function/')) {
    if (method !== 'GET') return methodNotAllowed(res, 'GET');
    const name = safeDecode(path.slice('/system/function/'.length));
    const pool = registry.get(name, namespace);
    return pool ? sendJson(res, 200, pool.status()) : sendText(res, 404, `function ${name} not found`);
  }

  if (path.startsWith('/system/scale-function/')) {
    if (method !== 'POST') return methodNotAllowed(res, 'POST');
    const name = safeDecode(path.slice('/system/scale-function/'.length));
    const body = await readJson(req, deps.maxJsonBytes);
    if (!body.ok) return sendText(res, 400, body.problem);
    const replicas = isObject(body.value) ? body.value['replicas'] : undefined;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      return sendText(
        res,
        400,
        'replicas must be a whole number ≥ 0: {"serviceName": "<name>", "namespace": "<namespace>", "replicas": 1}',
      );
    }
    const pool = registry.get(name, namespace);
    if (!pool) return sendText(res, 404, `function ${name} not found`);
    pool.scale(replicas);
    return sendEmpty(res, 202);
  }

  if (path === '/system/logs') {
    if (method !== 'GET') return methodNotAllowed(res, 'GET');
    return handleLogs(res, params, registry, namespace);
  }

  if (path === '/system/namespaces') {
    if (method !== 'GET') return methodNotAllowed(res, 'GET');
    return sendJson(res, 200, [...new Set([DEFAULT_NAMESPACE, ...registry.list().map((p) => p.spec.namespace)])]);
  }

  if (path === '/system/secrets') {
    // Dispatch passes a function's secrets in each call's context; this provider stores none.
    if (method === 'GET') return sendJson(res, 200, []);
    return sendText(res, 405, 'faas-local stores no secrets: Dispatch passes them to functions in the call context', { allow: 'GET' });
  }

  return sendText(res, 404, `no route ${method} ${path}`);
}

function handleLogs(res: ServerResponse, params: URLSearchParams, registry: FunctionRegistry, namespace: string | undefined): void {
  const name = params.get('name');
  if (!name) return sendText(res, 400, 'the query parameter name is required');
  const tailText = params.get('tail');
  const tail = tailText === null || tailText === '' ? undefined : Number(tailText);
  if (tail !== undefined && !Number.isInteger(tail)) return sendText(res, 400, `tail "${tailText}" is not a whole number`);
  const sinceText = params.get('since');
  const since = sinceText ? new Date(sinceText) : undefined;
  if (since && Number.isNaN(since.getTime())) return sendText(res, 400, `since "${sinceText}" is not an RFC 3339 date-time`);
  const follow = params.get('follow') === 'true' || params.get('follow') === '1';
  const pool = registry.get(name, namespace);
  if (!pool) return sendText(res, 404, `function ${name} not found`);

  const lines = pool.logs.query({ tail, since });
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  res.write(lines.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
  if (!follow) return void res.end();
  // follow: stream new lines until the client hangs up or the function goes away.
  const unsubscribe = pool.logs.subscribe({ entry: (entry) => res.write(`${JSON.stringify(entry)}\n`), end: () => res.end() });
  // The response's close, not the request's: a GET request "closes" as soon as it is read.
  res.once('close', unsubscribe);
}
