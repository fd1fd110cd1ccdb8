import { DispatchError, ErrorCode } from '@dispatch/contracts';
import type { components, operations } from './generated/kong-admin';

type Schemas = components['schemas'];
type JsonBody<B> = B extends { content: { 'application/json': infer T } } ? T : never;

/** Entities as the Admin API answers them (admin-oss-3.9.openapi.yaml `components.schemas`). */
export type KongService = Schemas['Service'];
export type KongRoute = Schemas['Route'];
export type KongPlugin = Schemas['Plugin'];
export type KongConsumer = Schemas['Consumer'];

/** What an upsert sends (the document's request bodies); the name or key goes in the path. */
export type KongServiceInput = JsonBody<operations['upsert-service']['requestBody']>;
export type KongRouteInput = JsonBody<operations['upsert-route']['requestBody']>;
/**
 * A plugin is scoped by the path it is upserted under (service, route or global), never by
 * `service`/`route` in the body: the document types those as strings where Kong takes `{id}`.
 */
export type KongPluginInput = Omit<JsonBody<operations['upsert-plugin']['requestBody']>, 'service' | 'route' | 'consumer' | 'config'> & {
  name: string;
  config?: Record<string, unknown>;
};
/** The document requires `custom_id` beside `username` (Kong needs one of them): send both. */
export type KongConsumerInput = JsonBody<operations['upsert-consumer']['requestBody']>;

/**
 * The route fields the document requires on every write, at Kong's own defaults (Kong fills them
 * in when omitted; the document makes them required, so the client sends them).
 */
export const KONG_ROUTE_DEFAULTS = {
  protocols: ['http', 'https'],
  https_redirect_status_code: 426,
  preserve_host: false,
  request_buffering: true,
  response_buffering: true,
} as const satisfies Partial<KongRouteInput>;

/**
 * Consumer credentials. Their endpoints come with the key-auth, jwt and acl plugins and are not
 * in the OSS document; the shapes are Kong's DAOs (kong/plugins/{key-auth,jwt,acl}/daos.lua), as
 * decK's schema (../shared/specs/kong/kong_json_schema.json KeyAuth, JWTAuth, ACLGroup) gives them.
 */
export interface KongKeyAuth {
  id: string;
  key: string;
  consumer: { id: string };
  created_at: number;
  ttl?: number | null;
  tags?: string[] | null;
}
export interface KongKeyAuthInput {
  ttl?: number;
  tags?: string[];
}

export interface KongJwtSecret {
  id: string;
  /** The `iss` (or configured claim) that selects this secret. */
  key: string;
  secret: string;
  algorithm: string;
  rsa_public_key?: string | null;
  consumer: { id: string };
  created_at: number;
  tags?: string[] | null;
}
export interface KongJwtSecretInput {
  secret?: string;
  algorithm?:
    'HS256' | 'HS384' | 'HS512' | 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512' | 'PS256' | 'PS384' | 'PS512' | 'EdDSA';
  rsa_public_key?: string;
  tags?: string[];
}

export interface KongAcl {
  id: string;
  group: string;
  consumer: { id: string };
  created_at: number;
  tags?: string[] | null;
}
export interface KongAclInput {
  tags?: string[];
}

/** What each listable collection holds. */
export interface KongEntities {
  services: KongService;
  routes: KongRoute;
  plugins: KongPlugin;
  consumers: KongConsumer;
  'key-auths': KongKeyAuth;
  jwts: KongJwtSecret;
  acls: KongAcl;
}
export type KongEntityKind = keyof KongEntities;

/** The entity a collection is nested under: routes of a service, plugins of a route, keys of a consumer. */
export interface KongParent {
  service?: string;
  route?: string;
  consumer?: string;
}

/** Where a plugin applies: one service, one route, or everything (neither). */
export type KongPluginScope = { service: string; route?: never } | { route: string; service?: never } | Record<string, never>;

/** The path segment of a name or id, refused when Kong could not take it as one. */
export function segment(what: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 512 || /[\s/?#%]/.test(value)) {
    throw new DispatchError(
      ErrorCode.VALIDATION_FAILED,
      `${what} ${JSON.stringify(value)} cannot name a Kong entity: give a non-empty name without spaces, '/', '?', '#' or '%'`,
      { [what]: value },
    );
  }
  return encodeURIComponent(value);
}

const CREDENTIAL_PATH: Partial<Record<KongEntityKind, string>> = { 'key-auths': 'key-auth', jwts: 'jwt', acls: 'acls' };

/**
 * The Admin API path of a collection: top-level (`/routes`), or nested under its parent
 * (`/services/{service}/routes`, `/routes/{route}/plugins`, `/consumers/{consumer}/key-auth`).
 * Refuses a parent that the collection cannot be nested under.
 */
export function collectionPath(kind: KongEntityKind, parent: KongParent = {}): string {
  const given = (Object.keys(parent) as (keyof KongParent)[]).filter((k) => parent[k] !== undefined);
  if (given.length === 0) return `/${kind}`;
  const allowed: Record<KongEntityKind, (keyof KongParent)[]> = {
    services: [],
    consumers: [],
    routes: ['service'],
    plugins: ['service', 'route'],
    'key-auths': ['consumer'],
    jwts: ['consumer'],
    acls: ['consumer'],
  };
  const [by] = given;
  if (given.length > 1 || !allowed[kind].includes(by)) {
    const can = allowed[kind].length ? `only by ${allowed[kind].join(' or ')}` : 'by nothing';
    throw new DispatchError(ErrorCode.VALIDATION_FAILED, `${kind} cannot be listed by ${given.join(' and ')}: Kong nests them ${can}`, {
      kind,
    });
  }
  const parentPath = `/${by}s/${segment(by, parent[by]!)}`;
  return `${parentPath}/${CREDENTIAL_PATH[kind] ?? kind}`;
}
