import type { ApiAuthentication } from '@dispatch/contracts';

export const API_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type ApiMethod = (typeof API_METHODS)[number];

export const API_PROTOCOLS = ['http', 'https'] as const;
export type ApiProtocol = (typeof API_PROTOCOLS)[number];

export interface ApiCors {
  origins: string[];
  methods: ApiMethod[];
  headers: string[];
  exposedHeaders: string[];
  credentials: boolean;
  maxAgeSeconds?: number;
}

/** Requests allowed per window; at least one window is set, a longer one never allows fewer. */
export interface ApiRateLimit {
  second?: number;
  minute?: number;
  hour?: number;
  day?: number;
}

/** What an API serves and how: the part of it the gateway is driven toward. */
export interface ApiSpec {
  function: string;
  methods: ApiMethod[];
  /** As the caller gave them; served under `/<org>` unless `hosts` are given. */
  paths: string[];
  hosts: string[];
  protocols: ApiProtocol[];
  authentication: ApiAuthentication;
  cors: ApiCors | null;
  rateLimit: ApiRateLimit | null;
  /** Largest request body accepted, in bytes. */
  requestSizeLimit: number | null;
  enabled: boolean;
}

/**
 * The paths the gateway matches for an API: under `/<org>` when it has no hosts, so two orgs can
 * both serve `/hello`; as given when it has hosts, which then tell the orgs apart.
 */
export function servedPaths(org: string, spec: Pick<ApiSpec, 'paths' | 'hosts'>): string[] {
  if (spec.hosts.length) return [...spec.paths];
  return spec.paths.map((p) => (p === '/' ? `/${org}` : `/${org}${p}`));
}

/**
 * One key per (host, served path) pair the API takes: `*` stands for "any host". Two APIs of any
 * org conflict when they share a key.
 */
export function routeKeys(org: string, spec: Pick<ApiSpec, 'paths' | 'hosts'>): string[] {
  const hosts = spec.hosts.length ? spec.hosts.map((h) => h.toLowerCase()) : ['*'];
  const paths = servedPaths(org, spec);
  return [...new Set(hosts.flatMap((h) => paths.map((p) => `${h} ${p}`)))].sort();
}
