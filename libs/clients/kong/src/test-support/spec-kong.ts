import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { matchesTags } from '../tag-query';
import { describeProblems, kongRequestProblems, kongResponseProblems, type KongProblem, type KongRequest } from './contract-checks';

/**
 * A Kong Admin API on loopback for the client's tests: a Kong binary cannot run here (DESIGN
 * §10). It keeps services, routes, plugins, consumers and their key-auth, jwt and acl
 * credentials in memory, and is faithful where the client relies on Kong:
 * - `PUT /<entities>/{name or id}` creates or replaces by endpoint key (name, username,
 *   instance_name, key, group), keeping `id` and `created_at`; nested PUTs take the parent from the path;
 * - lists page by `size` (1–1000, default 100) with an opaque `offset` and `next`, filter by
 *   `tags` (`a,b` all, `a/b` any), nested lists only hold the parent's entities;
 * - errors in Kong's shape: 404 `{message: "Not found"}`, 400 schema violation
 *   `{code: 2, name, message, fields}`, 409 unique constraint violation (code 5), 400 foreign key
 *   violation (code 4), invalid size/offset (codes 9, 7); DELETE of a missing entity is 204.
 *
 * Every request is held to the contract (contract-checks.ts) before it is served: a violation is
 * answered 400 schema violation and recorded in `rejected`. Every answer is checked too; a
 * problem there is this fake's bug, recorded in `ownProblems` (tests assert it stays empty).
 * Unset fields are left out of answers (Kong answers null): the document marks none nullable.
 */
export interface SpecKong {
  /** The Admin API URL; with a unix socket, `http://localhost` (the socket is the address). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly rejected: { method: string; path: string; problems: string[] }[];
  readonly ownProblems: string[];
  /** Entities by collection (`services`, `routes`, `plugins`, `consumers`, `keyauth_credentials`, `jwt_secrets`, `acls`). */
  readonly store: Map<string, Map<string, Entity>>;
  failNext(fault: Fault): void;
  stop(): Promise<void>;
}

export interface RecordedRequest extends KongRequest {
  headers: IncomingMessage['headers'];
}

export type Entity = Record<string, unknown> & { id: string };
/** What `failNext` answers instead: a status, no answer, a reset connection, or a body dripped a byte every 50 ms, never ending. */
export type Fault = { path?: RegExp } & ({ status: number; body?: string } | { hang: true } | { reset: true } | { drip: true });

interface Kind {
  table: string;
  key: string;
  /** The parent's field in the entity and where the parent lives. */
  parent?: { field: string; table: string };
  defaults: () => Record<string, unknown>;
  /** Unique fields besides the endpoint key (409 on a clash). */
  unique?: string[];
}

const KINDS: Record<string, Kind> = {
  services: {
    table: 'services',
    key: 'name',
    defaults: () => ({
      protocol: 'http',
      port: 80,
      retries: 5,
      connect_timeout: 60000,
      write_timeout: 60000,
      read_timeout: 60000,
      enabled: true,
    }),
  },
  routes: {
    table: 'routes',
    key: 'name',
    parent: { field: 'service', table: 'services' },
    defaults: () => ({ ...ROUTE_DEFAULTS }),
  },
  plugins: { table: 'plugins', key: 'instance_name', defaults: () => ({ enabled: true, protocols: ['grpc', 'grpcs', 'http', 'https'] }) },
  consumers: { table: 'consumers', key: 'username', defaults: () => ({}), unique: ['custom_id'] },
  'key-auth': { table: 'keyauth_credentials', key: 'key', parent: { field: 'consumer', table: 'consumers' }, defaults: () => ({}) },
  jwt: {
    table: 'jwt_secrets',
    key: 'key',
    parent: { field: 'consumer', table: 'consumers' },
    defaults: () => ({ algorithm: 'HS256', secret: randomBytes(24).toString('base64url') }),
  },
  acls: { table: 'acls', key: 'group', parent: { field: 'consumer', table: 'consumers' }, defaults: () => ({}) },
};
const TOP_LEVEL: Record<string, string> = { 'key-auths': 'key-auth', jwts: 'jwt' };
const ROUTE_DEFAULTS = {
  protocols: ['http', 'https'],
  https_redirect_status_code: 426,
  preserve_host: false,
  request_buffering: true,
  response_buffering: true,
  regex_priority: 0,
  strip_path: true,
  path_handling: 'v0',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PARENT_TABLE: Record<string, string> = { services: 'services', routes: 'routes', consumers: 'consumers' };

/** `socketPath`: listen on this unix socket instead of a loopback port (as gateway-local will in solo mode). */
export async function startSpecKong(options: { adminToken?: string; socketPath?: string } = {}): Promise<SpecKong> {
  const requests: RecordedRequest[] = [];
  const rejected: SpecKong['rejected'] = [];
  const ownProblems: string[] = [];
  const faults: Fault[] = [];
  const store = new Map<string, Map<string, Entity>>(
    ['services', 'routes', 'plugins', 'consumers', 'keyauth_credentials', 'jwt_secrets', 'acls'].map((t) => [t, new Map()]),
  );
  const table = (name: string) => store.get(name)!;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://kong');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        return void answer(res, undefined, 400, { message: 'Cannot parse JSON body' });
      }
      const r: RecordedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body,
        headers: req.headers,
      };
      requests.push(r);
      const faultAt = faults.findIndex((f) => !f.path || f.path.test(r.path));
      if (faultAt >= 0) {
        const [fault] = faults.splice(faultAt, 1);
        if ('hang' in fault) return;
        if ('reset' in fault) return void req.socket.destroy();
        if ('drip' in fault) {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          const timer = setInterval(() => res.write(' '), 50);
          return void res.on('close', () => clearInterval(timer));
        }
        res.writeHead(fault.status, { 'Content-Type': 'application/json' });
        return void res.end(fault.body ?? '');
      }
      if (options.adminToken && req.headers['kong-admin-token'] !== options.adminToken) {
        return void answer(res, r, 401, { message: 'Unauthorized', status: 401 });
      }
      const problems = kongRequestProblems(r);
      if (problems.length) {
        rejected.push({ method: r.method, path: r.path, problems: describeProblems(problems) });
        return void answer(res, r, 400, schemaViolation(problems));
      }
      route(r, res);
    });
  });

  function answer(res: ServerResponse, r: KongRequest | undefined, status: number, body?: unknown): void {
    if (r)
      for (const p of describeProblems(kongResponseProblems(r, status, body))) ownProblems.push(`${r.method} ${r.path} → ${status}: ${p}`);
    if (body === undefined) {
      res.writeHead(status);
      return void res.end();
    }
    const payload = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(payload) });
    res.end(payload);
  }

  const notFound = (res: ServerResponse, r: KongRequest) => answer(res, r, 404, { message: 'Not found' });

  function route(r: RecordedRequest, res: ServerResponse): void {
    if (r.path === '/' && r.method === 'GET') return answer(res, r, 200, info());
    if (r.path === '/status' && r.method === 'GET')
      return answer(res, r, 200, { database: { reachable: true }, server: { total_requests: requests.length } });
    const parts = r.path.split('/').filter(Boolean).map(decodeURIComponent);
    // [collection] [key] | [parentCollection parentKey collection] [key]
    let parent: { field: string; entity: Entity } | undefined;
    let rest = parts;
    if (parts.length >= 3 && PARENT_TABLE[parts[0]]) {
      const owner = find(table(PARENT_TABLE[parts[0]]), KINDS[parts[0]].key, parts[1]);
      if (!owner) return notFound(res, r);
      parent = { field: parts[0].slice(0, -1), entity: owner };
      rest = parts.slice(2);
    }
    const kindName = TOP_LEVEL[rest[0]] ?? rest[0];
    const kind = KINDS[kindName];
    const nestable: Record<string, string[]> = {
      service: ['routes', 'plugins'],
      route: ['plugins'],
      consumer: ['key-auth', 'jwt', 'acls', 'plugins'],
    };
    const reachable = parent ? nestable[parent.field].includes(rest[0]) : !['key-auth', 'jwt'].includes(rest[0]);
    if (!kind || !reachable || rest.length > 2) return notFound(res, r);
    if (!parent && kind.parent?.field === 'consumer' && rest.length === 2 && r.method !== 'GET')
      return answer(res, r, 405, { message: 'Method not allowed' });
    const entities = table(kind.table);
    const inScope = (e: Entity) => !parent || (e[parent.field] as { id?: string } | undefined)?.id === parent.entity.id;
    if (rest.length === 1) {
      if (r.method !== 'GET') return answer(res, r, 405, { message: 'Method not allowed' });
      return list(r, res, [...entities.values()].filter(inScope));
    }
    const idOrKey = rest[1];
    const existing = [...entities.values()].find((e) => inScope(e) && (e.id === idOrKey || e[kind.key] === idOrKey));
    if (r.method === 'GET') return existing ? answer(res, r, 200, existing) : notFound(res, r);
    if (r.method === 'DELETE') {
      if (existing) {
        if (kind.table === 'services' && [...table('routes').values()].some((x) => (x['service'] as { id: string }).id === existing.id)) {
          return answer(res, r, 400, {
            code: 4,
            name: 'foreign key violation',
            message: "an existing 'routes' entity references this 'services' entity",
            fields: { '@referenced_by': 'routes' },
          });
        }
        entities.delete(existing.id);
        cascade(existing.id);
      }
      return answer(res, r, 204);
    }
    if (r.method === 'PUT') return upsert(r, res, kind, idOrKey, existing, parent);
    return answer(res, r, 405, { message: 'Method not allowed' });
  }

  function upsert(
    r: RecordedRequest,
    res: ServerResponse,
    kind: Kind,
    idOrKey: string,
    existing: Entity | undefined,
    parent?: { field: string; entity: Entity },
  ): void {
    const body = { ...(r.body as Record<string, unknown>) };
    const byId = UUID.test(idOrKey);
    if (!byId) body[kind.key] = idOrKey;
    if (parent) body[parent.field] = { id: parent.entity.id };
    if (kind.parent && kind.table === 'routes' && body['service'] !== undefined) {
      const ref = (body['service'] as { id?: string }).id;
      if (!ref || !table('services').has(ref)) {
        return answer(res, r, 400, {
          code: 4,
          name: 'foreign key violation',
          message: `the foreign key '{id="${ref}"}' does not reference an existing 'services' entity.`,
          fields: { service: { id: ref } },
        });
      }
    }
    const id = existing?.id ?? (byId ? idOrKey : randomUUID());
    for (const field of [kind.key, ...(kind.unique ?? [])]) {
      const value = body[field];
      if (value === undefined) continue;
      const clash = [...table(kind.table).values()].find(
        (e) => e.id !== id && e[field] === value && (kind.key !== 'group' || sameParent(e, body, kind)),
      );
      if (clash) {
        return answer(res, r, 409, {
          code: 5,
          name: 'unique constraint violation',
          message: `UNIQUE violation detected on '{${field}="${String(value)}"}'`,
          fields: { [field]: value },
        });
      }
    }
    const now = Math.floor(Date.now() / 1000);
    const entity: Entity = { ...kind.defaults(), ...body, id, created_at: (existing?.created_at as number) ?? now };
    if (kind.table !== 'keyauth_credentials' && kind.table !== 'jwt_secrets' && kind.table !== 'acls' && kind.table !== 'consumers')
      entity['updated_at'] = now;
    table(kind.table).set(id, entity);
    answer(res, r, 200, entity);
  }

  function sameParent(e: Entity, body: Record<string, unknown>, kind: Kind): boolean {
    const field = kind.parent?.field ?? '';
    return (e[field] as { id?: string } | undefined)?.id === (body[field] as { id?: string } | undefined)?.id;
  }

  function cascade(id: string): void {
    for (const t of store.values())
      for (const e of [...t.values()]) if ((e['consumer'] as { id?: string } | undefined)?.id === id) t.delete(e.id);
  }

  function list(r: RecordedRequest, res: ServerResponse, entities: Entity[]): void {
    const size = r.query['size'] === undefined ? 100 : Number(r.query['size']);
    if (!Number.isInteger(size) || size < 1 || size > 1000)
      return answer(res, r, 400, { code: 9, name: 'invalid size', message: 'size must be an integer between 1 and 1000' });
    const tags = r.query['tags'];
    if (tags !== undefined && (tags === '' || (tags.includes(',') && tags.includes('/')))) {
      return answer(res, r, 400, {
        code: 11,
        name: 'invalid options',
        message: 'invalid option (tags: invalid filter syntax)',
        fields: { tags: 'invalid filter syntax' },
      });
    }
    const selected = entities.filter((e) => matchesTags(e['tags'] as string[] | undefined, tags));
    let start = 0;
    if (r.query['offset'] !== undefined) {
      const after = Buffer.from(r.query['offset'], 'base64url').toString('utf8');
      start = selected.findIndex((e) => e.id === after);
      if (start < 0)
        return answer(res, r, 400, {
          code: 7,
          name: 'invalid offset',
          message: `'${r.query['offset']}' is not a valid offset: bad base64 encoding`,
        });
    }
    const data = selected.slice(start, start + size);
    const following = selected[start + size];
    if (!following) return answer(res, r, 200, { data, next: null });
    const offset = Buffer.from(following.id).toString('base64url');
    const next = new URLSearchParams({ ...r.query, offset });
    answer(res, r, 200, { data, next: `${r.path}?${next}`, offset });
  }

  function find(entities: Map<string, Entity>, key: string, idOrKey: string): Entity | undefined {
    return entities.get(idOrKey) ?? [...entities.values()].find((e) => e[key] === idOrKey);
  }

  function info(): Record<string, unknown> {
    return {
      version: '3.9.0',
      edition: 'community',
      tagline: 'Welcome to kong',
      node_id: '00000000-0000-4000-8000-00000000c0de',
      hostname: 'spec-kong',
      lua_version: 'spec-kong',
      plugins: {
        available_on_server: { cors: { version: '3.9.0', priority: 2000 } },
        enabled_in_cluster: [...new Set([...table('plugins').values()].map((p) => String(p['name'])))],
      },
      configuration: { database: 'off' },
    };
  }

  const socketPath = options.socketPath;
  await new Promise<void>((resolve) => (socketPath ? server.listen(socketPath, resolve) : server.listen(0, '127.0.0.1', resolve)));
  return {
    url: socketPath ? 'http://localhost' : `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    rejected,
    ownProblems,
    store,
    failNext: (fault) => void faults.push(fault),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A Kong 400 schema violation naming each field the contract refused. */
function schemaViolation(problems: KongProblem[]): Record<string, unknown> {
  const fields: Record<string, string> = {};
  for (const p of problems) fields[p.at.replace(/^body\/?/, '').replace(/\//g, '.') || '@entity'] = p.message;
  const list = Object.entries(fields).map(([k, v]) => `${k}: ${v}`);
  const message = list.length === 1 ? `schema violation (${list[0]})` : `${list.length} schema violations (${list.join('; ')})`;
  return { code: 2, name: 'schema violation', message, fields };
}
