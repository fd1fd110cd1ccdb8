import http from 'node:http';
import https from 'node:https';
import type { Logger } from 'pino';

export interface KongClientOptions {
  /** The Admin API, e.g. `http://kong-admin.kong:8001`. A path prefix is kept. */
  baseUrl: string;
  /** Reach the Admin API over this unix socket (gateway-local in solo mode); `baseUrl` then only names it. */
  socketPath?: string;
  /** Sent as `Kong-Admin-Token` on every request when set (RBAC, or a proxy in front of the Admin API). Never logged. */
  adminToken?: string;
  /** Time budget of each request, from connect to the last body byte, in ms. Default 10 000. */
  timeoutMs?: number;
  /** Page size of `list` (Kong's `size`, 1–1000). Default 100, Kong's own default. */
  pageSize?: number;
  /** A keep-alive agent to use instead of the client's own; `close()` leaves it open. */
  httpAgent?: http.Agent;
  /** Debug lines per request (method, path, status, ms). Bodies and the token are never logged. */
  logger?: Logger;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_PAGE_SIZE = 100;
/** Kong's bounds of `size` (pagination-size in the Admin API document). */
export const MAX_PAGE_SIZE = 1000;

/** The options, checked once. */
export interface ResolvedOptions {
  /** Base URL without userinfo, query or trailing slash: the one that may appear in messages. */
  readonly baseUrl: string;
  readonly socketPath: string | undefined;
  readonly agent: http.Agent;
  readonly ownsAgent: boolean;
  readonly adminToken: string | undefined;
  readonly timeoutMs: number;
  readonly pageSize: number;
}

export function resolveOptions(options: KongClientOptions): ResolvedOptions {
  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch {
    throw new Error('KongAdminClient: baseUrl is not a URL: give the Admin API as http(s)://host:port');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`KongAdminClient: baseUrl must be http or https, not ${url.protocol}`);
  if (url.username || url.password)
    throw new Error('KongAdminClient: baseUrl must not carry credentials: give the admin token as adminToken');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new Error(`KongAdminClient: timeoutMs must be a positive number, got ${timeoutMs}`);
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
    throw new Error(`KongAdminClient: pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`);
  if (options.adminToken !== undefined && !/^[\x21-\x7e]+$/.test(options.adminToken))
    throw new Error('KongAdminClient: adminToken must be non-empty printable ASCII without spaces');
  const secure = url.protocol === 'https:';
  // The reconcile loop talks to one Admin API all day: keep the connection.
  const agent = options.httpAgent ?? (secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true }));
  return {
    baseUrl: `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`,
    socketPath: options.socketPath,
    agent,
    ownsAgent: !options.httpAgent,
    adminToken: options.adminToken,
    timeoutMs,
    pageSize,
  };
}
