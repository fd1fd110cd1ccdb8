import http from 'node:http';
import https from 'node:https';
import type { Logger } from 'pino';
import type { OpenFaasBodyCheck } from './contract-checks';
import { assertNamespace } from './function-name';
import { displayUrl } from './openfaas-errors';

export interface OpenFaasClientOptions {
  /** The gateway (or faas-local) URL, e.g. `http://gateway.openfaas:8080`. A path prefix is kept. */
  baseUrl: string;
  /**
   * Basic-auth credentials of the gateway, sent on `/system/*` only (see OpenFaasClient). When
   * unset, credentials in the URL's userinfo are used instead (and removed from the URL).
   */
  basicAuth?: { user: string; password: string };
  /** Reach the gateway over this unix socket (faas-local in solo mode); `baseUrl` then only names it. */
  socketPath?: string;
  /** Namespace of the functions, sent wherever the API takes one; unset = the provider's default. */
  namespace?: string;
  /** Time budget of system calls (`/system/*`, `/healthz`, async submission), in ms. Default 10 000. */
  timeoutMs?: number;
  /** Most sockets open to the gateway at once (calls beyond it queue in the agent). Default 256. */
  maxSockets?: number;
  /** A keep-alive agent to use instead of the client's own; `close()` leaves it open. */
  httpAgent?: http.Agent;
  /** Largest function response `invoke` reads, in bytes; a larger one fails the call. Default 64 MiB. */
  maxResponseBytes?: number;
  /** Debug lines per system call (method, path, status, ms). Bodies and credentials are never logged. */
  logger?: Logger;
  /** Tests only: asserts every JSON body sent and read (see OpenFaasBodyCheck). Unset in production. */
  validateBodies?: OpenFaasBodyCheck;
}

export const DEFAULT_SYSTEM_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_SOCKETS = 256;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** The options, checked once, in the form the hot path uses without further work. */
export interface ResolvedOptions {
  /** Base URL without userinfo or trailing slash: the one that may appear in messages. */
  readonly baseUrl: string;
  readonly hostname: string;
  readonly socketPath: string | undefined;
  readonly port: number;
  readonly pathPrefix: string;
  readonly secure: boolean;
  readonly agent: http.Agent;
  readonly ownsAgent: boolean;
  /** `Basic …`, computed once; undefined when the gateway has no auth. */
  readonly authorization: string | undefined;
  readonly namespace: string | undefined;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`OpenFaasClient: ${name} must be a positive number, got ${value}`);
  return value;
}

export function resolveOptions(options: OpenFaasClientOptions): ResolvedOptions {
  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch {
    throw new Error('OpenFaasClient: baseUrl is not a URL: give the gateway as http(s)://host:port');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`OpenFaasClient: baseUrl must be http or https, not ${url.protocol}`);
  let user = options.basicAuth?.user;
  let password = options.basicAuth?.password;
  if (!options.basicAuth && url.username) {
    user = decodeURIComponent(url.username);
    password = decodeURIComponent(url.password);
  }
  if (options.namespace !== undefined) assertNamespace(options.namespace);
  const secure = url.protocol === 'https:';
  const maxSockets = positive('maxSockets', options.maxSockets ?? DEFAULT_MAX_SOCKETS);
  // Keep-alive matters most for invoke: a new TCP (and TLS) handshake per call would cost more
  // than the rest of the client together.
  const agent =
    options.httpAgent ?? (secure ? new https.Agent({ keepAlive: true, maxSockets }) : new http.Agent({ keepAlive: true, maxSockets }));
  return {
    baseUrl: displayUrl(url),
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    socketPath: options.socketPath,
    port: url.port ? Number(url.port) : secure ? 443 : 80,
    pathPrefix: url.pathname.replace(/\/+$/, ''),
    secure,
    agent,
    ownsAgent: !options.httpAgent,
    authorization: user === undefined ? undefined : `Basic ${Buffer.from(`${user}:${password ?? ''}`).toString('base64')}`,
    namespace: options.namespace,
    timeoutMs: positive('timeoutMs', options.timeoutMs ?? DEFAULT_SYSTEM_TIMEOUT_MS),
    maxResponseBytes: positive('maxResponseBytes', options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES),
  };
}
