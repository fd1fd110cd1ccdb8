import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { OpenFaasFunctionDeployment, OpenFaasFunctionStatus, OpenFaasGatewayInfo, OpenFaasLogEntry } from '@dispatch/contracts';
import { openFaasBodyProblems, type OpenFaasBodyName } from '@dispatch/testing';

/**
 * An OpenFaaS gateway on loopback for the client's tests: real OpenFaaS needs Kubernetes, which
 * cannot run here (DESIGN §10). It serves the routes of ../shared/specs/openfaas/ENDPOINTS.md with
 * their documented status codes and holds both sides to the shared JSON Schema:
 *
 * - every JSON request body is validated (ajv, via @dispatch/testing); an invalid one is answered
 *   400 with the problems as text, and recorded in `rejected`;
 * - every JSON body it answers is validated too; a problem there is a bug of this fake, recorded
 *   in `ownProblems` (tests assert it stays empty);
 * - with `basicAuth`, `/system/*` answers 401 without the right credentials, and `/function/*`,
 *   `/async-function/*`, `/healthz` never ask (as the real gateway);
 * - every request is recorded (method, path, query, headers, body, the socket it came on);
 * - `failNext` answers the next matching request with a fault instead: a status, a hang (no
 *   answer, to test timeouts) or a reset connection.
 */
export interface SpecGateway {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly rejected: { method: string; path: string; problems: string[] }[];
  readonly ownProblems: string[];
  /** Functions by `namespace/name`. */
  readonly functions: Map<string, StoredFunction>;
  /** Log lines answered for a function, and whether the stream is cut mid-line (as by `follow`'s timeout). */
  setLogs(name: string, entries: OpenFaasLogEntry[], options?: { cutLastLine?: boolean }): void;
  /** How a function answers calls; default: 200 echoing the body and Content-Type. */
  onInvoke(name: string, handler: InvokeHandler): void;
  failNext(fault: Fault): void;
  stop(): Promise<void>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: Buffer;
  socket: number;
}

export interface StoredFunction {
  deployment: OpenFaasFunctionDeployment;
  namespace: string;
  replicas: number;
  createdAt: string;
  invocationCount: number;
}

export type InvokeHandler = (req: RecordedRequest) => {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: Buffer | string;
};

export type Fault = { path?: RegExp } & ({ status: number; body?: string } | { hang: true } | { reset: true });

export const DEFAULT_NAMESPACE = 'openfaas-fn';

export async function startSpecGateway(options: { basicAuth?: { user: string; password: string } } = {}): Promise<SpecGateway> {
  const requests: RecordedRequest[] = [];
  const rejected: SpecGateway['rejected'] = [];
  const ownProblems: string[] = [];
  const functions = new Map<string, StoredFunction>();
  const logs = new Map<string, { entries: OpenFaasLogEntry[]; cutLastLine: boolean }>();
  const handlers = new Map<string, InvokeHandler>();
  const faults: Fault[] = [];
  const sockets = new Map<Socket, number>();
  const expectedAuth =
    options.basicAuth && `Basic ${Buffer.from(`${options.basicAuth.user}:${options.basicAuth.password}`).toString('base64')}`;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://gateway');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: Buffer.concat(chunks),
        socket: sockets.get(req.socket) ?? -1,
      };
      requests.push(recorded);
      const faultAt = faults.findIndex((f) => !f.path || f.path.test(recorded.path));
      if (faultAt >= 0) {
        const [fault] = faults.splice(faultAt, 1);
        if ('hang' in fault) return; // never answer: the client's timeout must fire
        if ('reset' in fault) return void req.socket.destroy();
        return void text(res, fault.status, fault.body ?? '');
      }
      route(recorded, res);
    });
  });
  let nextSocket = 0;
  server.on('connection', (socket) => {
    sockets.set(socket, nextSocket++);
    socket.on('close', () => sockets.delete(socket));
  });

  function route(r: RecordedRequest, res: ServerResponse): void {
    const p = r.path;
    if (p === '/healthz' && r.method === 'GET') return text(res, 200, 'OK');
    if (p.startsWith('/function/')) return invoke(r, res, p.slice('/function/'.length));
    if (p.startsWith('/async-function/')) return invokeAsync(r, res, p.slice('/async-function/'.length));
    if (!p.startsWith('/system/')) return text(res, 404, '404 page not found');
    if (expectedAuth && r.headers.authorization !== expectedAuth) {
      res.setHeader('WWW-Authenticate', 'Basic realm="Restricted"');
      return text(res, 401, 'Invalid credentials');
    }
    if (p === '/system/info' && r.method === 'GET') return info(res);
    if (p === '/system/functions') {
      if (r.method === 'GET')
        return json(res, 200, 'FunctionList', [...functions.values()].filter((f) => f.namespace === ns(r.query['namespace'])).map(status));
      if (r.method === 'POST') return deploy(r, res, false);
      if (r.method === 'PUT') return deploy(r, res, true);
      if (r.method === 'DELETE') return remove(r, res);
      return text(res, 405, 'method not allowed');
    }
    const one = /^\/system\/function\/([-a-zA-Z_0-9.]+)$/.exec(p);
    if (one && r.method === 'GET') {
      const fn = functions.get(key(ns(r.query['namespace']), one[1]));
      return fn ? json(res, 200, 'FunctionStatus', status(fn)) : text(res, 404, `function ${one[1]} not found`);
    }
    const scale = /^\/system\/scale-function\/([-a-zA-Z_0-9.]+)$/.exec(p);
    if (scale && r.method === 'POST') return scaleFunction(r, res, scale[1]);
    if (p === '/system/logs' && r.method === 'GET') return readLogs(r, res);
    return text(res, 404, '404 page not found');
  }

  function body<T>(r: RecordedRequest, res: ServerResponse, kind: OpenFaasBodyName): T | undefined {
    let value: unknown;
    try {
      value = JSON.parse(r.body.toString('utf8'));
    } catch {
      rejected.push({ method: r.method, path: r.path, problems: ['body is not JSON'] });
      text(res, 400, 'request body is not JSON');
      return undefined;
    }
    const problems = openFaasBodyProblems(kind, value);
    if (problems.length) {
      rejected.push({ method: r.method, path: r.path, problems });
      text(res, 400, `invalid ${kind}: ${problems.join('; ')}`);
      return undefined;
    }
    return value as T;
  }

  function deploy(r: RecordedRequest, res: ServerResponse, update: boolean): void {
    const d = body<OpenFaasFunctionDeployment>(r, res, 'FunctionDeployment');
    if (!d) return;
    const k = key(ns(d.namespace), d.service);
    const existing = functions.get(k);
    if (update && !existing) return text(res, 404, `function ${d.service} not found`);
    if (!update && existing) return text(res, 400, `function ${d.service} already exists, update it instead`);
    functions.set(k, {
      deployment: d,
      namespace: ns(d.namespace),
      replicas: existing?.replicas ?? 1,
      createdAt: existing?.createdAt ?? new Date().toISOString(),
      invocationCount: existing?.invocationCount ?? 0,
    });
    text(res, update ? 200 : 202, '');
  }

  function remove(r: RecordedRequest, res: ServerResponse): void {
    const d = body<{ functionName: string; namespace?: string }>(r, res, 'DeleteFunctionRequest');
    if (!d) return;
    if (!functions.delete(key(ns(d.namespace), d.functionName))) return text(res, 404, `function ${d.functionName} not found`);
    text(res, 200, '');
  }

  function scaleFunction(r: RecordedRequest, res: ServerResponse, name: string): void {
    const d = body<{ serviceName: string; namespace: string; replicas: number }>(r, res, 'ScaleServiceRequest');
    if (!d) return;
    const fn = functions.get(key(ns(d.namespace), name));
    if (!fn) return text(res, 404, `function ${name} not found`);
    fn.replicas = d.replicas;
    text(res, 202, '');
  }

  function readLogs(r: RecordedRequest, res: ServerResponse): void {
    const name = r.query['name'];
    if (!name) return text(res, 400, 'name is required');
    if (!functions.has(key(ns(r.query['namespace']), name))) return text(res, 404, `function ${name} not found`);
    const stored = logs.get(name) ?? { entries: [], cutLastLine: false };
    let entries = stored.entries;
    if (r.query['since']) entries = entries.filter((e) => e.timestamp >= r.query['since']);
    const tail = Number(r.query['tail'] ?? 0);
    if (tail > 0) entries = entries.slice(-tail);
    let out = '';
    for (const e of entries) {
      check('LogEntry', e);
      out += `${JSON.stringify(e)}\n`;
    }
    if (stored.cutLastLine) out += '{"name":"cut-off","namespace":"open'; // a line the stream ended in
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    res.end(out);
  }

  function info(res: ServerResponse): void {
    const body: OpenFaasGatewayInfo = {
      provider: { provider: 'spec-gateway', orchestration: 'none', version: { sha: '0000000', release: '0.0.0' } },
      version: { sha: '8d803bf9e2655aec6a60fd0e25b392839f96af95', release: '0.8.12', commit_message: 'spec gateway' },
      arch: 'x86_64',
    };
    json(res, 200, 'GatewayInfo', body);
  }

  function addressed(target: string): { name: string; namespace: string } {
    const name = target.split('/')[0];
    const dot = name.lastIndexOf('.');
    return dot < 0 ? { name, namespace: DEFAULT_NAMESPACE } : { name: name.slice(0, dot), namespace: name.slice(dot + 1) };
  }

  function invoke(r: RecordedRequest, res: ServerResponse, target: string): void {
    const { name, namespace } = addressed(target);
    const fn = functions.get(key(namespace, name));
    const callId = (r.headers['x-call-id'] as string | undefined) ?? randomUUID();
    if (!fn) return text(res, 404, `error finding function ${name}.${namespace}`, { 'X-Call-Id': callId });
    fn.invocationCount++;
    const answer = handlers.get(name)?.(r) ?? {
      status: 200,
      headers: { 'Content-Type': r.headers['content-type'] ?? 'application/octet-stream' },
      body: r.body,
    };
    res.writeHead(answer.status, {
      ...answer.headers,
      'X-Call-Id': callId,
      'X-Duration-Seconds': '0.001500',
      'X-Start-Time': `${Date.now()}000000`,
    });
    res.end(answer.body ?? '');
  }

  function invokeAsync(r: RecordedRequest, res: ServerResponse, target: string): void {
    const callback = r.headers['x-callback-url'] as string | undefined;
    if (callback !== undefined) {
      try {
        new URL(callback);
      } catch {
        return text(res, 400, 'X-Callback-Url is not a URL');
      }
    }
    addressed(target); // the CE gateway queues without looking the function up
    const callId = (r.headers['x-call-id'] as string | undefined) ?? randomUUID();
    res.writeHead(202, { 'X-Call-Id': callId, 'X-Start-Time': `${Date.now()}000000` });
    res.end();
  }

  function status(fn: StoredFunction): OpenFaasFunctionStatus {
    const d = fn.deployment;
    return {
      name: d.service,
      image: d.image,
      namespace: fn.namespace,
      ...(d.envProcess !== undefined ? { envProcess: d.envProcess } : {}),
      envVars: d.envVars ?? {},
      labels: d.labels ?? null,
      annotations: d.annotations ?? null,
      limits: d.limits ?? null,
      replicas: fn.replicas,
      availableReplicas: fn.replicas,
      invocationCount: fn.invocationCount,
      createdAt: fn.createdAt,
      usage: { cpu: 0.5, totalMemoryBytes: 12_345_678 },
    };
  }

  function check(kind: OpenFaasBodyName, value: unknown): void {
    for (const p of openFaasBodyProblems(kind, value)) ownProblems.push(`${kind} ${p}`);
  }

  function json(res: ServerResponse, code: number, kind: OpenFaasBodyName, value: unknown): void {
    check(kind, value);
    const payload = JSON.stringify(value);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
    res.end(payload);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    rejected,
    ownProblems,
    functions,
    setLogs: (name, entries, o) => void logs.set(name, { entries, cutLastLine: o?.cutLastLine ?? false }),
    onInvoke: (name, handler) => void handlers.set(name, handler),
    failNext: (fault) => void faults.push(fault),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function ns(namespace: string | undefined): string {
  return namespace || DEFAULT_NAMESPACE;
}

function key(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function text(res: ServerResponse, code: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}
