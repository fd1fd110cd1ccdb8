import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { KONG_SERVER, KONG_VERSION } from '../kong-error';
import { bundledPlugins } from '../plugins/registry';
import { AdminError, methodNotAllowed, notFound } from './admin-errors';
import { COLLECTIONS, EMPTY_COLLECTIONS, NESTED, type Entity, type Table } from './entity-kinds';
import type { EntityStore, Parent } from './entity-store';

export interface GatewayAdminOptions {
  store: EntityStore;
  /** A TCP port on `host` (0 picks one), or `socketPath` for a unix socket. */
  port?: number;
  /** Loopback only (127.0.0.0/8, ::1, localhost): the Admin API has no authentication. Default 127.0.0.1. */
  host?: string;
  socketPath?: string;
  /** Called with every exchange once answered (contract tests hold each one to the Kong document). */
  onExchange?: (exchange: AdminExchange) => void;
}

export interface AdminExchange {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
  status: number;
  response?: unknown;
}

export interface GatewayAdmin {
  /** `http://127.0.0.1:port`, or `http://localhost` on a unix socket (the socket is the address). */
  url: string;
  port?: number;
  socketPath?: string;
  close(): Promise<void>;
}

/** Refuses a host the Admin API must not listen on: anything that is not the loopback interface. */
export function assertLoopback(host: string): void {
  const loopback = host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
  if (!loopback)
    throw new Error(
      `the gateway's Admin API listens on loopback only, not on ${JSON.stringify(host)}: it has no authentication; give 127.0.0.1, ::1 or a unix socket`,
    );
}

const NODE_ID = '6a72a6e6-8f4e-4a4e-9a4e-0d15ba7c4a11';

/**
 * The Kong Admin API of the embedded gateway: the subset the Kong client and decK use (DESIGN §2),
 * answering as Kong 3.9 with a database does, so one client serves both solo and cluster mode.
 */
export async function startGatewayAdmin(options: GatewayAdminOptions): Promise<GatewayAdmin> {
  const host = options.host ?? '127.0.0.1';
  if (!options.socketPath) assertLoopback(host);
  const started = Date.now();
  let total = 0;
  const server: Server = createServer((req, res) => {
    total++;
    readBody(req).then(
      (raw) => serve(req, res, raw),
      () => res.destroy(),
    );
  });

  function serve(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const url = new URL(req.url ?? '/', 'http://admin');
    const exchange: AdminExchange = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
    };
    const answer = (status: number, body?: unknown) => {
      exchange.status = status;
      exchange.response = body;
      const payload = body === undefined ? '' : JSON.stringify(body);
      const headers: Record<string, string | number> = {
        Server: KONG_SERVER,
        'Access-Control-Allow-Origin': '*',
        'X-Kong-Admin-Latency': 0,
      };
      if (body !== undefined)
        Object.assign(headers, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(payload) });
      res.writeHead(status, headers);
      res.end(payload);
      options.onExchange?.(exchange);
    };
    try {
      exchange.body = parseBody(raw, req.headers['content-type']);
      const [status, body] = route(exchange);
      answer(status, body);
    } catch (error) {
      if (error instanceof AdminError) return answer(error.status, error.body);
      answer(500, { message: 'An unexpected error occurred' });
    }
  }

  function route(r: AdminExchange): [number, unknown?] {
    const parts = r.path.split('/').filter(Boolean).map(decodeSegment);
    if (parts.length === 0) return only(r, 'GET', () => info(options.store));
    if (parts[0] === 'status' && parts.length === 1) return only(r, 'GET', () => status(total, started));
    if ((EMPTY_COLLECTIONS as readonly string[]).includes(parts[0])) {
      if (parts.length === 1 && r.method === 'GET') return [200, { data: [], next: null }];
      if (r.method === 'DELETE') return [204];
      throw notFound();
    }
    // /{collection}[/{id or key}] or /{parents}/{id or key}/{collection}[/{id or key}]
    const nesting = NESTED[parts[0]];
    if (parts.length >= 3 && nesting) {
      const owner = options.store.get(COLLECTIONS[parts[0]], parts[1]);
      const child = nesting.children[parts[2]];
      if (!owner || !child) throw notFound();
      return entityOrCollection(r, child, parts.slice(3), { field: nesting.field, id: owner.id });
    }
    const table = COLLECTIONS[parts[0]];
    if (!table) throw notFound();
    return entityOrCollection(r, table, parts.slice(1));
  }

  function entityOrCollection(r: AdminExchange, table: Table, rest: string[], parent?: Parent): [number, unknown?] {
    const store = options.store;
    if (rest.length === 0) {
      if (r.method === 'GET') return [200, page(r, store.list(table, r.query, parent))];
      if (r.method === 'POST') return [201, store.create(table, r.body, parent)];
      throw methodNotAllowed();
    }
    if (rest.length > 1) throw notFound();
    const [idOrKey] = rest;
    switch (r.method) {
      case 'GET': {
        const entity = store.get(table, idOrKey, parent);
        if (!entity) throw notFound();
        return [200, entity];
      }
      case 'PUT':
        return [200, store.upsert(table, idOrKey, r.body, parent)];
      case 'PATCH':
        return [200, store.update(table, idOrKey, r.body, parent)];
      case 'DELETE':
        store.delete(table, idOrKey, parent);
        return [204];
      default:
        throw methodNotAllowed();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (options.socketPath) server.listen(options.socketPath, resolve);
    else server.listen(options.port ?? 0, host, resolve);
  });
  const port = options.socketPath ? undefined : (server.address() as AddressInfo).port;
  return {
    url: options.socketPath ? 'http://localhost' : `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    socketPath: options.socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A path segment as Kong's router reads it; one that is not valid percent-encoding names nothing here. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw notFound();
  }
}

function only(r: AdminExchange, method: string, answer: () => unknown): [number, unknown] {
  if (r.method !== method) throw methodNotAllowed();
  return [200, answer()];
}

function page(r: AdminExchange, { data, nextStart }: { data: Entity[]; nextStart?: string }): unknown {
  if (!nextStart) return { data, next: null };
  const offset = Buffer.from(nextStart).toString('base64url');
  return { data, next: `${r.path}?${new URLSearchParams({ ...r.query, offset })}`, offset };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** JSON, or a url-encoded form (Kong takes both; `a.b=1` nests, repeated keys make arrays). */
function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!raw) return undefined;
  if (contentType?.startsWith('application/x-www-form-urlencoded')) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(raw)) {
      const path = key.replace(/\[\]$/, '').split('.');
      let at = out;
      for (const k of path.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
      const last = path[path.length - 1];
      at[last] = at[last] === undefined ? (key.endsWith('[]') ? [value] : value) : [at[last]].flat().concat(value);
    }
    return out;
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new AdminError(400, { message: 'Cannot parse JSON body' });
  }
}

function info(store: EntityStore): Record<string, unknown> {
  const available = Object.fromEntries(
    [...bundledPlugins().values()].map((p) => [p.name, { version: KONG_VERSION, priority: p.priority }]),
  );
  return {
    version: KONG_VERSION,
    edition: 'community',
    tagline: 'Welcome to kong',
    node_id: NODE_ID,
    hostname: 'dispatch-gateway-local',
    lua_version: 'gateway-local (Node.js)',
    plugins: {
      available_on_server: available,
      enabled_in_cluster: [...new Set(store.state().plugins.map((p) => p.name))],
    },
    configuration: {
      // decK and other DB-mode tools refuse a DB-less node (it has no entity CRUD): this one has it.
      database: 'postgres',
      role: 'traditional',
      router_flavor: 'traditional_compatible',
      plugins: ['bundled'],
      loaded_plugins: Object.fromEntries(Object.keys(available).map((name) => [name, true])),
    },
    timers: { running: 0, pending: 0 },
    pids: { master: process.pid, workers: [process.pid] },
  };
}

function status(total: number, started: number): Record<string, unknown> {
  return {
    database: { reachable: true },
    server: {
      total_requests: total,
      connections_accepted: total,
      connections_handled: total,
      connections_active: 1,
      connections_reading: 0,
      connections_writing: 1,
      connections_waiting: 0,
    },
    memory: {
      workers_lua_vms: [{ pid: process.pid, http_allocated_gc: `${Math.round(process.memoryUsage().heapUsed / 1048576)} MiB` }],
      lua_shared_dicts: {},
    },
    uptime_seconds: Math.floor((Date.now() - started) / 1000),
  };
}
