import { randomUUID } from 'node:crypto';
import { matchesTags } from '@dispatch/kong-client';
import type { GatewayState } from '../kong-entities';
import { bundledPlugins } from '../plugins/registry';
import { PluginConfigError, validatePlugin } from '../plugins/validate';
import {
  AdminError,
  invalidOffset,
  invalidSize,
  invalidTags,
  missingReference,
  nestFields,
  notFound,
  referencedBy,
  schemaViolation,
  stateViolation,
  uniqueViolation,
} from './admin-errors';
import { KINDS, type Entity, type EntityKind, type FieldType, type Table } from './entity-kinds';

/** The parent an endpoint is nested under (`/services/{s}/routes` → `{field: 'service', id}`). */
export interface Parent {
  field: string;
  id: string;
}

export interface Page {
  data: Entity[];
  /** The id the next page starts at, or undefined on the last page. */
  nextStart?: string;
}

// Kong's messages for a value of the wrong type (kong/db/schema/init.lua).
const TYPE_CHECKS: Record<FieldType, { test: (v: unknown) => boolean; message: string }> = {
  string: { test: (v) => typeof v === 'string' && v !== '', message: 'expected a string' },
  integer: { test: (v) => Number.isInteger(v), message: 'expected an integer' },
  boolean: { test: (v) => typeof v === 'boolean', message: 'expected a boolean' },
  strings: { test: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'), message: 'expected a set' },
  record: { test: (v) => !!v && typeof v === 'object' && !Array.isArray(v), message: 'expected a record' },
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TABLES = Object.keys(KINDS) as Table[];
// Only the plugin list is read from this: rate-limiting counters live with the proxy.
const PLUGINS = bundledPlugins();

type Tables = Map<Table, Map<string, Entity>>;

/**
 * Kong's entities in memory, with Kong's DAO semantics: ids, timestamps, endpoint keys, unique
 * and foreign keys, cascades. Every write runs on a copy of the tables; the copy becomes the
 * store only once `commit` accepted the GatewayState it makes (the proxy validates and serves
 * it), so a write the data plane refuses leaves nothing behind.
 */
export class EntityStore {
  private tables: Tables;

  constructor(
    private readonly commit: (state: GatewayState) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.tables = new Map(TABLES.map((t) => [t, new Map()]));
  }

  /** Entities of a table in Kong's (primary key) order, within a parent when nested, filtered by a `tags` query. */
  list(table: Table, query: { size?: string; offset?: string; tags?: string }, parent?: Parent): Page {
    const size = query.size === undefined ? 100 : Number(query.size);
    if (!Number.isInteger(size) || size < 1 || size > 1000) throw invalidSize();
    const tags = query.tags;
    if (tags !== undefined && (tags === '' || (tags.includes(',') && tags.includes('/')))) throw invalidTags();
    const selected = this.scoped(this.tables, table, parent)
      .filter((e) => matchesTags(e['tags'] as string[] | undefined, tags))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    let start = 0;
    if (query.offset !== undefined) {
      const after = Buffer.from(query.offset, 'base64url').toString('utf8');
      if (!UUID.test(after)) throw invalidOffset(query.offset);
      start = selected.findIndex((e) => e.id >= after);
      if (start < 0) start = selected.length;
    }
    return { data: selected.slice(start, start + size), nextStart: selected[start + size]?.id };
  }

  get(table: Table, idOrKey: string, parent?: Parent): Entity | undefined {
    return this.find(this.tables, table, idOrKey, parent);
  }

  /** The whole state, in the shape of Kong's declarative config. */
  state(): GatewayState {
    return stateOf(this.tables);
  }

  /** `POST /{collection}`: a new entity (its id may be given). */
  create(table: Table, body: unknown, parent?: Parent): Entity {
    return this.write((tables) => {
      const fields = asObject(body);
      const id = typeof fields['id'] === 'string' ? fields['id'] : randomUUID();
      if (tables.get(table)!.has(id)) throw uniqueViolation({ id });
      return this.put(tables, KINDS[table], id, fields, undefined, parent);
    });
  }

  /** `PUT /{collection}/{id or key}`: creates or replaces whole, keeping id and created_at. */
  upsert(table: Table, idOrKey: string, body: unknown, parent?: Parent): Entity {
    return this.write((tables) => {
      const kind = KINDS[table];
      const fields = asObject(body);
      const byId = UUID.test(idOrKey);
      if (!byId && kind.key) fields[kind.key] = idOrKey;
      const existing = byId ? tables.get(table)!.get(idOrKey) : this.find(tables, table, idOrKey, parent);
      if (existing && parent && (existing[parent.field] as { id?: string } | undefined)?.id !== parent.id) throw notFound();
      return this.put(tables, kind, existing?.id ?? (byId ? idOrKey : randomUUID()), fields, existing, parent);
    });
  }

  /** `PATCH /{collection}/{id or key}`: the fields given replace those stored (records merged), 404 if absent. */
  update(table: Table, idOrKey: string, body: unknown, parent?: Parent): Entity {
    return this.write((tables) => {
      const existing = this.find(tables, table, idOrKey, parent);
      if (!existing) throw notFound();
      const { id: _id, created_at: _created, updated_at: _updated, ...stored } = existing;
      return this.put(tables, KINDS[table], existing.id, merge(stored, asObject(body)), existing, parent);
    });
  }

  /** `DELETE`: gone, with what cascades (a route's or consumer's plugins, a consumer's credentials); absent is fine. */
  delete(table: Table, idOrKey: string, parent?: Parent): void {
    this.write((tables) => {
      const existing = this.find(tables, table, idOrKey, parent);
      if (!existing) return undefined;
      if (table === 'services' && [...tables.get('routes')!.values()].some((r) => refId(r['service']) === existing.id))
        throw referencedBy('services', 'routes');
      tables.get(table)!.delete(existing.id);
      const field = { services: 'service', routes: 'route', consumers: 'consumer' }[table as string];
      if (field) for (const t of tables.values()) for (const e of [...t.values()]) if (refId(e[field]) === existing.id) t.delete(e.id);
      return undefined;
    });
  }

  private write<T>(change: (tables: Tables) => T): T {
    const next: Tables = new Map([...this.tables].map(([t, entities]) => [t, new Map(entities)]));
    const result = change(next);
    try {
      this.commit(stateOf(next));
    } catch (error) {
      throw stateViolation(error);
    }
    this.tables = next;
    return result;
  }

  private put(tables: Tables, kind: EntityKind, id: string, body: Record<string, unknown>, existing: Entity | undefined, parent?: Parent) {
    const given = withoutNulls(kind.table === 'services' ? expandUrl(body) : body);
    const problems: Record<string, unknown> = {};
    for (const field of Object.keys(given)) if (!kind.fields.includes(field)) problems[field] = 'unknown field';
    if (parent) given[parent.field] = { id: parent.id };
    delete given['id'];
    delete given['created_at'];
    delete given['updated_at'];
    const nowSeconds = Math.floor(this.now() / 1000);
    const entity: Entity = { ...kind.defaults(), ...given, id, created_at: (existing?.['created_at'] as number | undefined) ?? nowSeconds };
    if (kind.updatedAt) entity['updated_at'] = nowSeconds;
    for (const field of kind.required ?? []) if (entity[field] === undefined) problems[field] = 'required field missing';
    for (const [field, type] of Object.entries({ tags: 'strings' as const, ...kind.types }))
      if (entity[field] !== undefined && !problems[field] && !TYPE_CHECKS[type].test(entity[field]))
        problems[field] = TYPE_CHECKS[type].message;
    // Kong runs its entity checks only on fields that passed their own.
    if (Object.keys(problems).length === 0) Object.assign(problems, entityChecks(kind, entity));
    if (Object.keys(problems).length > 0) throw schemaViolation(problems);
    for (const [field, ref] of Object.entries(kind.references)) {
      const value = entity[field];
      if (value === undefined) {
        if (ref.required) throw schemaViolation({ [field]: 'required field missing' });
        continue;
      }
      if (!value || typeof value !== 'object') throw schemaViolation({ [field]: 'expected a record' });
      const target = this.find(
        tables,
        ref.table,
        String((value as Record<string, unknown>)['id'] ?? (value as Record<string, unknown>)['name']),
      );
      if (!target) throw missingReference(field, ref.table, value as Record<string, unknown>);
      entity[field] = { id: target.id };
    }
    if (kind.table === 'plugins') fillPluginConfig(entity);
    this.checkUnique(tables, kind, entity);
    tables.get(kind.table)!.set(id, entity);
    return entity;
  }

  private checkUnique(tables: Tables, kind: EntityKind, entity: Entity): void {
    const others = [...tables.get(kind.table)!.values()].filter((e) => e.id !== entity.id);
    for (const field of [kind.key, ...(kind.unique ?? [])]) {
      if (!field || entity[field] === undefined) continue;
      const clash = others.find(
        (e) => e[field] === entity[field] && (!kind.uniquePerConsumer || refId(e['consumer']) === refId(entity['consumer'])),
      );
      if (clash) throw uniqueViolation({ [field]: entity[field] });
    }
    if (kind.table === 'plugins') {
      // A plugin is configured once per scope (its cache key: name, route, service, consumer).
      const scope = ['consumer', 'name', 'route', 'service'] as const;
      const key = (e: Entity) => scope.map((f) => (f === 'name' ? e['name'] : (refId(e[f]) ?? null)));
      const mine = JSON.stringify(key(entity));
      if (others.some((e) => JSON.stringify(key(e)) === mine))
        throw uniqueViolation(Object.fromEntries(scope.map((f) => [f, f === 'name' ? entity['name'] : (entity[f] ?? null)])));
    }
  }

  private find(tables: Tables, table: Table, idOrKey: string, parent?: Parent): Entity | undefined {
    const key = KINDS[table].key;
    return this.scoped(tables, table, parent).find((e) => e.id === idOrKey || (key !== undefined && e[key] === idOrKey));
  }

  private scoped(tables: Tables, table: Table, parent?: Parent): Entity[] {
    const all = [...tables.get(table)!.values()];
    return parent ? all.filter((e) => refId(e[parent.field]) === parent.id) : all;
  }
}

function stateOf(tables: Tables): GatewayState {
  const all = <T>(t: Table) => [...tables.get(t)!.values()] as unknown as T[];
  return {
    services: all('services'),
    routes: all('routes'),
    plugins: all('plugins'),
    consumers: all('consumers'),
    keyauth_credentials: all('keyauth_credentials'),
    acls: all('acls'),
  };
}

function refId(value: unknown): string | undefined {
  return value && typeof value === 'object' ? ((value as { id?: string }).id ?? undefined) : undefined;
}

function asObject(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw schemaViolation({ '@entity': ['expected a JSON object'] });
  return { ...(body as Record<string, unknown>) };
}

/** Kong's Admin API takes null as "unset": the field takes its default. */
function withoutNulls(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null));
}

/** PATCH merges records field by field (a plugin's `config`), and replaces anything else. */
function merge(stored: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...stored };
  for (const [key, value] of Object.entries(patch)) {
    const before = out[key];
    const record = (v: unknown) => v && typeof v === 'object' && !Array.isArray(v);
    out[key] =
      record(before) && record(value) && key === 'config'
        ? merge(before as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

/** A service's `url` shorthand sets protocol, host, port and path (kong/db/schema/entities/services.lua). */
function expandUrl(body: Record<string, unknown>): Record<string, unknown> {
  if (body['url'] === undefined) return body;
  const { url, ...rest } = body;
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    throw schemaViolation({ url: 'missing host in url' });
  }
  const protocol = parsed.protocol.replace(/:$/, '');
  return {
    ...rest,
    protocol,
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : protocol === 'https' ? 443 : 80,
    path: parsed.pathname === '/' && !String(url).endsWith('/') ? undefined : parsed.pathname,
  };
}

const ROUTE_PROTOCOLS = ['grpc', 'grpcs', 'http', 'https', 'tcp', 'tls', 'tls_passthrough', 'udp', 'ws', 'wss'];

/** Kong's entity checks that the data plane does not make itself. */
function entityChecks(kind: EntityKind, entity: Entity): Record<string, unknown> {
  switch (kind.table) {
    case 'services': {
      const problems: Record<string, unknown> = {};
      if (!['http', 'https'].includes(String(entity['protocol']))) problems['protocol'] = 'expected one of: http, https';
      if (typeof entity['host'] !== 'string' || entity['host'] === '') problems['host'] = 'expected a string';
      const port = entity['port'];
      if (!Number.isInteger(port) || (port as number) < 0 || (port as number) > 65535)
        problems['port'] = 'value should be between 0 and 65535';
      if (!Number.isInteger(entity['retries']) || (entity['retries'] as number) < 0 || (entity['retries'] as number) > 32767)
        problems['retries'] = 'value should be between 0 and 32767';
      for (const timeout of ['connect_timeout', 'write_timeout', 'read_timeout']) {
        const ms = entity[timeout] as number;
        if (!Number.isInteger(ms) || ms < 1 || ms > 2147483646) problems[timeout] = 'value should be between 1 and 2147483646';
      }
      if (entity['path'] !== undefined && (typeof entity['path'] !== 'string' || !entity['path'].startsWith('/')))
        problems['path'] = 'should start with: / (fixed path)';
      return problems;
    }
    case 'routes': {
      const protocols = (entity['protocols'] as string[] | undefined) ?? [];
      const badProtocol = protocols.find((p) => !ROUTE_PROTOCOLS.includes(p));
      if (badProtocol !== undefined) return { protocols: `expected one of: ${ROUTE_PROTOCOLS.join(', ')}` };
      const badPath = ((entity['paths'] as string[] | undefined) ?? []).find((p) => !p.startsWith('/') && !p.startsWith('~/'));
      if (badPath !== undefined) return { paths: 'should start with: / (fixed path) or ~/ (regex path)' };
      if (!['v0', 'v1'].includes(String(entity['path_handling']))) return { path_handling: 'expected one of: v0, v1' };
      const matching = ['methods', 'hosts', 'headers', 'paths'].some((f) => {
        const v = entity[f];
        return Array.isArray(v) ? v.length > 0 : v && typeof v === 'object' && Object.keys(v).length > 0;
      });
      if (protocols.some((p) => p === 'http' || p === 'https') && !matching)
        return { '@entity': ["must set one of 'methods', 'hosts', 'headers', 'paths' when 'protocols' is 'http'"] };
      return {};
    }
    case 'consumers':
      return entity['username'] === undefined && entity['custom_id'] === undefined
        ? { '@entity': ["at least one of these fields must be non-empty: 'custom_id', 'username'"] }
        : {};
    case 'plugins':
      return PLUGINS.has(String(entity['name']))
        ? {}
        : { name: `plugin '${String(entity['name'])}' not enabled; add it to the 'plugins' configuration property` };
    default:
      return {};
  }
}

/** Kong answers a plugin's config with its defaults filled in, as its schema gives them. */
function fillPluginConfig(entity: Entity): void {
  const plugin = PLUGINS.get(String(entity['name']))!;
  try {
    const ids = (f: string) => (entity[f] as { id: string } | undefined) ?? null;
    const validated = validatePlugin(
      {
        id: entity.id,
        name: plugin.name,
        config: (entity['config'] as Record<string, unknown>) ?? {},
        service: ids('service'),
        route: ids('route'),
        consumer: ids('consumer'),
      },
      plugin,
    );
    entity['config'] = validated.config;
  } catch (error) {
    if (error instanceof PluginConfigError) throw schemaViolation(nestFields(error.fields));
    throw error;
  }
}

export { AdminError };
