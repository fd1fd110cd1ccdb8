import { randomBytes } from 'node:crypto';

/** A stored entity: the fields Kong answers, unset ones left out (Kong answers them as null). */
export type Entity = Record<string, unknown> & { id: string };

export type Table = 'services' | 'routes' | 'plugins' | 'consumers' | 'keyauth_credentials' | 'acls' | 'jwt_secrets';

/** The entity kinds the Admin API stores, with the parts of Kong 3.9's schemas (kong/db/schema/entities, the plugins' daos.lua) it enforces. */
export interface EntityKind {
  table: Table;
  /** The endpoint key: what `/{collection}/{key}` may name instead of the id (Kong's `endpoint_key`). */
  key?: string;
  /** Fields Kong's schema has; any other is refused as an unknown field. */
  fields: readonly string[];
  required?: readonly string[];
  /** Kong's defaults, applied to fields a create or replace leaves unset. */
  defaults: () => Record<string, unknown>;
  /** Unique fields besides the key, and whether a clash is per consumer (acl groups). */
  unique?: readonly string[];
  uniquePerConsumer?: boolean;
  /** Foreign keys: field → the table it references, and whether the reference is required. */
  references: Readonly<Record<string, { table: Table; required?: boolean }>>;
  /** Field types Kong's schema declares, checked on every write (the data plane checks the rest). */
  types?: Readonly<Record<string, FieldType>>;
  /** Kong keeps `updated_at` on these (credentials and consumers have `created_at` only in 3.9's OSS DAOs but consumers). */
  updatedAt: boolean;
}

export type FieldType = 'string' | 'integer' | 'boolean' | 'strings' | 'record';

const COMMON = ['id', 'created_at', 'tags'];

export const KINDS: Record<Table, EntityKind> = {
  services: {
    table: 'services',
    key: 'name',
    fields: [
      ...COMMON,
      'updated_at',
      'name',
      'retries',
      'protocol',
      'host',
      'port',
      'path',
      'connect_timeout',
      'write_timeout',
      'read_timeout',
      'client_certificate',
      'tls_verify',
      'tls_verify_depth',
      'ca_certificates',
      'enabled',
    ],
    required: ['host'],
    types: {
      name: 'string',
      retries: 'integer',
      protocol: 'string',
      host: 'string',
      port: 'integer',
      path: 'string',
      connect_timeout: 'integer',
      write_timeout: 'integer',
      read_timeout: 'integer',
      tls_verify: 'boolean',
      tls_verify_depth: 'integer',
      ca_certificates: 'strings',
      enabled: 'boolean',
    },
    defaults: () => ({
      protocol: 'http',
      port: 80,
      retries: 5,
      connect_timeout: 60000,
      write_timeout: 60000,
      read_timeout: 60000,
      enabled: true,
    }),
    references: {},
    updatedAt: true,
  },
  routes: {
    table: 'routes',
    key: 'name',
    fields: [
      ...COMMON,
      'updated_at',
      'name',
      'protocols',
      'methods',
      'hosts',
      'paths',
      'headers',
      'https_redirect_status_code',
      'regex_priority',
      'strip_path',
      'path_handling',
      'preserve_host',
      'request_buffering',
      'response_buffering',
      'snis',
      'sources',
      'destinations',
      'service',
    ],
    defaults: () => ({
      protocols: ['http', 'https'],
      https_redirect_status_code: 426,
      regex_priority: 0,
      strip_path: true,
      path_handling: 'v0',
      preserve_host: false,
      request_buffering: true,
      response_buffering: true,
    }),
    types: {
      name: 'string',
      protocols: 'strings',
      methods: 'strings',
      hosts: 'strings',
      paths: 'strings',
      headers: 'record',
      https_redirect_status_code: 'integer',
      regex_priority: 'integer',
      strip_path: 'boolean',
      path_handling: 'string',
      preserve_host: 'boolean',
      request_buffering: 'boolean',
      response_buffering: 'boolean',
    },
    references: { service: { table: 'services' } },
    updatedAt: true,
  },
  plugins: {
    table: 'plugins',
    key: 'instance_name',
    fields: [...COMMON, 'updated_at', 'name', 'instance_name', 'config', 'protocols', 'enabled', 'service', 'route', 'consumer'],
    required: ['name'],
    types: { name: 'string', instance_name: 'string', config: 'record', protocols: 'strings', enabled: 'boolean' },
    defaults: () => ({ enabled: true, protocols: ['grpc', 'grpcs', 'http', 'https'] }),
    references: { service: { table: 'services' }, route: { table: 'routes' }, consumer: { table: 'consumers' } },
    updatedAt: true,
  },
  consumers: {
    table: 'consumers',
    key: 'username',
    fields: [...COMMON, 'updated_at', 'username', 'custom_id'],
    types: { username: 'string', custom_id: 'string' },
    defaults: () => ({}),
    unique: ['custom_id'],
    references: {},
    updatedAt: true,
  },
  keyauth_credentials: {
    table: 'keyauth_credentials',
    key: 'key',
    fields: [...COMMON, 'consumer', 'key', 'ttl'],
    types: { key: 'string', ttl: 'integer' },
    defaults: () => ({ key: randomBytes(24).toString('base64url') }),
    references: { consumer: { table: 'consumers', required: true } },
    updatedAt: false,
  },
  acls: {
    table: 'acls',
    key: 'group',
    fields: [...COMMON, 'consumer', 'group'],
    types: { group: 'string' },
    required: ['group'],
    defaults: () => ({}),
    uniquePerConsumer: true,
    references: { consumer: { table: 'consumers', required: true } },
    updatedAt: false,
  },
  jwt_secrets: {
    table: 'jwt_secrets',
    key: 'key',
    fields: [...COMMON, 'consumer', 'key', 'secret', 'rsa_public_key', 'algorithm'],
    types: { key: 'string', secret: 'string', rsa_public_key: 'string', algorithm: 'string' },
    defaults: () => ({ key: randomBytes(16).toString('hex'), secret: randomBytes(16).toString('hex'), algorithm: 'HS256' }),
    references: { consumer: { table: 'consumers', required: true } },
    updatedAt: false,
  },
};

/** Collections by URL segment, top level (`/key-auths`) and nested under a consumer (`/consumers/{c}/key-auth`). */
export const COLLECTIONS: Record<string, Table> = {
  services: 'services',
  routes: 'routes',
  plugins: 'plugins',
  consumers: 'consumers',
  'key-auths': 'keyauth_credentials',
  acls: 'acls',
  jwts: 'jwt_secrets',
};

/** What may be nested under an entity of each parent collection, by segment, and the field naming the parent. */
export const NESTED: Record<string, { field: string; children: Record<string, Table> }> = {
  services: { field: 'service', children: { routes: 'routes', plugins: 'plugins' } },
  routes: { field: 'route', children: { plugins: 'plugins' } },
  consumers: {
    field: 'consumer',
    children: { plugins: 'plugins', 'key-auth': 'keyauth_credentials', acls: 'acls', jwt: 'jwt_secrets' },
  },
};

/**
 * Kong entity kinds this gateway does not store, answered as empty lists so that tools that read
 * every kind (decK's dump) see an empty set rather than a 404. Writing one is refused.
 */
export const EMPTY_COLLECTIONS = [
  'upstreams',
  'targets',
  'certificates',
  'ca_certificates',
  'snis',
  'consumer_groups',
  'vaults',
  'keys',
  'key-sets',
  'filter-chains',
  'basic-auths',
  'hmac-auths',
  'oauth2',
  'oauth2_tokens',
  'mtls-auths',
  'rbac',
] as const;
