import type { IncomingHttpHeaders } from 'node:http';
import type { KongExit } from '../kong-error';
import type { KongConsumer, KongKeyAuthCredential } from '../kong-entities';
import type { RouteMatch } from '../router';

/** The downstream request as plugins read it (Kong's kong.request). */
export interface PluginRequest {
  method: string;
  /** The normalized path the router matched. */
  path: string;
  query: URLSearchParams;
  /** As received, lower-case names (repeated ones joined as node:http does). */
  headers: IncomingHttpHeaders;
  /** Every value of each header, in order. */
  headersDistinct: Record<string, string[] | undefined>;
  /** The client address (Kong's get_forwarded_ip with no trusted proxies). */
  clientIp: string;
  /** The whole body, read once and kept for the upstream; `maxBytes` stops reading past it. */
  readBody(maxBytes?: number): Promise<Buffer | 'too-large'>;
}

/** What the request sends upstream, which plugins may change (Kong's kong.service.request). */
export interface UpstreamRequestChanges {
  /** The headers as they go upstream so far (lower-case names), with earlier plugins' changes. */
  headers(): Readonly<Record<string, string | string[]>>;
  /** An array sends the header once per value. */
  setHeader(name: string, value: string | string[]): void;
  clearHeader(name: string): void;
  clearQueryArg(name: string): void;
  /** The raw query string as it goes upstream so far, without its `?`. */
  query(): string;
  /** Replaces the raw query string (already encoded, without `?`; empty drops it). */
  setQuery(query: string): void;
  setMethod(method: string): void;
  /** Replaces the upstream path (kong.service.request.set_path); the query string is kept. */
  setPath(path: string): void;
  setBody(body: Buffer): void;
}

/** Entities plugins look up (Kong's DAO caches). */
export interface PluginLookups {
  consumer(idOrUsername: string): KongConsumer | undefined;
  keyAuthCredential(key: string): KongKeyAuthCredential | undefined;
  consumerGroups(consumerId: string): string[];
}

export interface AccessContext {
  request: PluginRequest;
  match: RouteMatch;
  requestId: string;
  /** Milliseconds since the epoch (injected by tests). */
  now(): number;
  /** Set by an auth plugin (kong.client.authenticate); read by acl and rate-limiting. */
  consumer: KongConsumer | undefined;
  credential: KongKeyAuthCredential | undefined;
  upstream: UpstreamRequestChanges;
  /** Headers for the downstream response, set in the access phase (kong.response.set_header). */
  responseHeaders: Record<string, string>;
  lookups: PluginLookups;
}

/** The response about to go downstream, whose headers header_filter may change. */
export interface FilteredResponse {
  status: number;
  headers: Record<string, string | string[]>;
}

/**
 * One plugin's run on one request: the scope of the plugin entity (Kong injects it into the conf as
 * route_id, service_id, consumer_id) and its per-request storage (Kong's kong.ctx.plugin).
 */
export interface PluginRun {
  pluginId: string;
  routeId: string | undefined;
  serviceId: string | undefined;
  consumerId: string | undefined;
  ctx: Record<string, unknown>;
}

export interface GatewayPlugin<Config = Record<string, unknown>> {
  name: string;
  /** Kong's handler PRIORITY: higher runs first. */
  priority: number;
  /** The JSON schema of the plugin entity (../shared/specs/kong/plugins). */
  schema: object;
  /** Checks Kong makes beyond the JSON schema (its entity_checks); returns field → message. */
  entityChecks?(config: Config): Record<string, string>;
  access?(config: Config, ctx: AccessContext, run: PluginRun): KongExit | void | Promise<KongExit | void>;
  headerFilter?(config: Config, ctx: AccessContext, response: FilteredResponse, run: PluginRun): void;
}

/** Sets a header on a response header map whatever the case it was first set in. */
export function setHeader(headers: Record<string, string | string[]>, name: string, value: string | string[] | undefined): void {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
  if (value !== undefined) headers[name] = value;
}

export function getHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
