/**
 * The Kong entities the gateway reads, with the field names of Kong's Admin API and declarative
 * config (only the fields the data plane uses). They are stand-ins until the typed Admin API client
 * of @dispatch/kong-client is there; anything structurally compatible with them is accepted.
 */

/** A reference to another entity, as the Admin API nests it: `{ "id": "…" }`. */
export interface KongRef {
  id: string;
}

export type KongServiceProtocol = 'http' | 'https';

export interface KongService {
  id: string;
  name?: string | null;
  protocol: KongServiceProtocol;
  host: string;
  port?: number | null;
  path?: string | null;
  /** Milliseconds, 60000 by default as in Kong. */
  connect_timeout?: number | null;
  write_timeout?: number | null;
  read_timeout?: number | null;
  enabled?: boolean | null;
  created_at?: number | null;
}

export interface KongRoute {
  id: string;
  name?: string | null;
  protocols?: string[] | null;
  methods?: string[] | null;
  hosts?: string[] | null;
  paths?: string[] | null;
  /** Header name → values; a value starting with `~*` is a case-insensitive regex. */
  headers?: Record<string, string[]> | null;
  regex_priority?: number | null;
  strip_path?: boolean | null;
  preserve_host?: boolean | null;
  /** Only `v0` is honoured: the one path handling of Kong 3.x's `traditional_compatible` router. */
  path_handling?: 'v0' | 'v1' | null;
  service?: KongRef | null;
  created_at?: number | null;
}

export interface KongPlugin {
  id: string;
  name: string;
  enabled?: boolean | null;
  config?: Record<string, unknown> | null;
  protocols?: string[] | null;
  service?: KongRef | null;
  route?: KongRef | null;
  consumer?: KongRef | null;
  created_at?: number | null;
}

export interface KongConsumer {
  id: string;
  username?: string | null;
  custom_id?: string | null;
}

/** A key-auth credential (`/consumers/{consumer}/key-auth`, `keyauth_credentials` in declarative config). */
export interface KongKeyAuthCredential {
  id: string;
  key: string;
  consumer: KongRef;
  /** Seconds to live from created_at; expired keys are rejected as Kong does. */
  ttl?: number | null;
  created_at?: number | null;
}

/** An ACL group membership (`/consumers/{consumer}/acls`, `acls` in declarative config). */
export interface KongAcl {
  id: string;
  group: string;
  consumer: KongRef;
}

/** Everything the proxy serves from, in the shape of Kong's declarative config. */
export interface GatewayState {
  services: KongService[];
  routes: KongRoute[];
  plugins: KongPlugin[];
  consumers: KongConsumer[];
  keyauth_credentials: KongKeyAuthCredential[];
  acls: KongAcl[];
}

export function emptyGatewayState(): GatewayState {
  return { services: [], routes: [], plugins: [], consumers: [], keyauth_credentials: [], acls: [] };
}
