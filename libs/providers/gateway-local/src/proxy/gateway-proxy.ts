import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { GatewayState } from '../kong-entities';
import { KONG_SERVER, kongError, type KongExit } from '../kong-error';
import type { AccessContext, FilteredResponse, PluginRun } from '../plugins/plugin';
import { getHeader, setHeader } from '../plugins/plugin';
import { RateLimitCounters } from '../plugins/rate-limiting';
import { type AnyPlugin, bundledPlugins } from '../plugins/registry';
import { CompiledState, type ConfiguredPlugin } from './compiled-state';
import { DownstreamRequest } from './downstream-request';
import { forward } from './forward';

export interface GatewayProxyOptions {
  port: number;
  host?: string;
  state: GatewayState;
  /** Milliseconds since the epoch; rate-limiting windows follow it (tests move it). */
  now?: () => number;
}

export interface GatewayProxy {
  url: string;
  port: number;
  /** Validates and swaps in a new state for the requests that arrive after it; throws, keeping the old one, if invalid. */
  setState(state: GatewayState): void;
  close(): Promise<void>;
}

/** Headers that describe one connection, never passed through (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
]);

function requestId(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Validates a GatewayState as the proxy would serve it, without serving it: throws
 * RouteConfigError or PluginConfigError naming what Kong would refuse.
 */
export function validateGatewayState(state: GatewayState): void {
  new CompiledState(state, bundledPlugins());
}

interface Ran {
  configured: ConfiguredPlugin;
  run: PluginRun;
}

class ProxyRequestHandler {
  constructor(
    private readonly compiled: CompiledState,
    private readonly now: () => number,
    private readonly agents: { http: http.Agent; https: https.Agent },
    private readonly localPort: number,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const id = requestId();
    const accept = getHeader(req.headers, 'accept');
    const target = req.url ?? '/';
    const hostHeader = req.headers.host ?? '';
    const match = this.compiled.router.match({
      method: req.method ?? 'GET',
      target,
      host: hostHeader,
      headers: req.headers,
      localPort: this.localPort,
    });
    if (!match) return this.exit(res, kongError(404, 'no Route matched with those values', id, accept), id, receivedAt);
    const protocols = match.route.protocols ?? ['http', 'https'];
    if (!protocols.includes('http')) {
      const body = JSON.stringify({ message: 'Please use HTTPS protocol' });
      return this.exit(
        res,
        {
          status: 426,
          headers: { 'content-type': 'application/json; charset=utf-8', Connection: 'Upgrade', Upgrade: 'TLS/1.2, HTTP/1.1' },
          body,
        },
        id,
        receivedAt,
      );
    }
    if (!match.service || match.service.enabled === false) {
      return this.exit(res, kongError(503, 'no Service found with those values', id, accept), id, receivedAt);
    }
    const request = new DownstreamRequest(req, match.path);
    const upstreamHeaders: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers))
      if (value !== undefined && !HOP_BY_HOP.has(name)) upstreamHeaders[name] = value;
    const upstreamQuery = new URLSearchParams(request.query);
    let queryChanged = false;
    let replacedBody: Buffer | undefined;
    const ctx: AccessContext = {
      request,
      match,
      requestId: id,
      now: this.now,
      consumer: undefined,
      credential: undefined,
      responseHeaders: {},
      lookups: this.compiled,
      upstream: {
        // As ngx.req.set_header and clear_header: names case-insensitive, `_` read as `-`.
        setHeader: (name, value) => setHeader(upstreamHeaders, name.toLowerCase().replace(/_/g, '-'), value),
        clearHeader: (name) => setHeader(upstreamHeaders, name.toLowerCase().replace(/_/g, '-'), undefined),
        clearQueryArg: (name) => {
          if (!upstreamQuery.has(name)) return;
          upstreamQuery.delete(name);
          queryChanged = true;
        },
        setBody: (body) => {
          replacedBody = body;
        },
      },
    };

    // Access phase, in priority order; each plugin's config is resolved at its turn, so one
    // configured for a consumer applies once an auth plugin before it has identified them.
    const ran: Ran[] = [];
    for (const plugin of this.compiled.pluginOrder) {
      const configured = this.pluginFor(plugin, ctx);
      if (!configured) continue;
      const { entity } = configured;
      const run: PluginRun = {
        pluginId: entity.id,
        routeId: entity.route?.id,
        serviceId: entity.service?.id,
        consumerId: entity.consumer?.id,
        ctx: {},
      };
      ran.push({ configured, run });
      const exit = await plugin.access?.(configured.config, ctx, run);
      if (exit) {
        const response: FilteredResponse = { status: exit.status, headers: { ...exit.headers, ...ctx.responseHeaders } };
        this.headerFilter(ran, ctx, response);
        return this.exit(res, { ...exit, headers: response.headers as Record<string, string> }, id, receivedAt);
      }
    }

    const service = match.service;
    const defaultPort = service.protocol === 'https' ? 443 : 80;
    const servicePort = service.port ?? defaultPort;
    upstreamHeaders['host'] = match.upstreamHost ?? (servicePort === defaultPort ? service.host : `${service.host}:${servicePort}`);
    const forwardedFor = getHeader(req.headers, 'x-forwarded-for');
    upstreamHeaders['x-forwarded-for'] = forwardedFor ? `${forwardedFor}, ${request.clientIp}` : request.clientIp;
    upstreamHeaders['x-forwarded-proto'] = 'http';
    upstreamHeaders['x-forwarded-host'] = hostHeader.replace(/:\d+$/, '');
    upstreamHeaders['x-forwarded-port'] = String(this.localPort);
    upstreamHeaders['x-forwarded-path'] = target.split('?')[0]!;
    if (match.strippedPrefix) upstreamHeaders['x-forwarded-prefix'] = match.strippedPrefix;
    else delete upstreamHeaders['x-forwarded-prefix'];
    upstreamHeaders['x-real-ip'] = request.clientIp;

    let upstreamTarget = match.upstreamTarget;
    if (queryChanged) {
      const query = upstreamQuery.toString();
      upstreamTarget = upstreamTarget.split('?')[0]! + (query ? `?${query}` : '');
    }
    let body: Buffer | IncomingMessage | undefined = replacedBody ?? request.body;
    if (replacedBody || request.body) upstreamHeaders['content-length'] = String((body as Buffer).length);
    else if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) body = req;

    const outcome = await forward(
      { service, method: req.method ?? 'GET', target: upstreamTarget, headers: upstreamHeaders as OutgoingHttpHeaders, body },
      this.agents,
    );
    if (outcome.kind === 'failed') {
      const exit = kongError(outcome.status, undefined, id, accept);
      const response: FilteredResponse = { status: exit.status, headers: { ...exit.headers, ...ctx.responseHeaders } };
      this.headerFilter(ran, ctx, response);
      return this.exit(res, { ...exit, headers: response.headers as Record<string, string> }, id, receivedAt);
    }
    const upstream = outcome.response;
    const headers: Record<string, string | string[]> = {};
    for (let i = 0; i < upstream.rawHeaders.length; i += 2) {
      const name = upstream.rawHeaders[i]!;
      const value = upstream.rawHeaders[i + 1]!;
      if (HOP_BY_HOP.has(name.toLowerCase())) continue;
      const existing = headers[name];
      headers[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    }
    const via = getHeader(upstream.headers, 'via');
    setHeader(headers, 'Via', via ? `${via}, 1.1 ${KONG_SERVER}` : `1.1 ${KONG_SERVER}`);
    if (!upstream.headers.server) setHeader(headers, 'Server', KONG_SERVER);
    setHeader(headers, 'X-Kong-Upstream-Latency', String(Date.now() - outcome.sentAt));
    setHeader(headers, 'X-Kong-Proxy-Latency', String(outcome.sentAt - receivedAt));
    setHeader(headers, 'X-Kong-Request-Id', id);
    for (const [name, value] of Object.entries(ctx.responseHeaders)) setHeader(headers, name, value);
    const response: FilteredResponse = { status: upstream.statusCode ?? 502, headers };
    this.headerFilter(ran, ctx, response);
    res.writeHead(response.status, response.headers);
    upstream.pipe(res);
    upstream.on('error', () => res.destroy());
    upstream.on('aborted', () => res.destroy());
    res.on('close', () => upstream.destroy());
  }

  private pluginFor(plugin: AnyPlugin, ctx: AccessContext): ConfiguredPlugin | undefined {
    return this.compiled.pluginFor(
      plugin.name,
      { route: ctx.match.route.id, service: ctx.match.service?.id, consumer: ctx.consumer?.id },
      'http',
    );
  }

  private headerFilter(ran: Ran[], ctx: AccessContext, response: FilteredResponse): void {
    for (const { configured, run } of ran) configured.plugin.headerFilter?.(configured.config, ctx, response, run);
  }

  /** A response Kong makes itself: its body, Server, latency and request id headers. */
  private exit(res: ServerResponse, exit: KongExit, id: string, receivedAt: number): void {
    const headers: Record<string, string | string[]> = { ...exit.headers };
    setHeader(headers, 'Content-Length', String(Buffer.byteLength(exit.body)));
    setHeader(headers, 'X-Kong-Response-Latency', String(Date.now() - receivedAt));
    setHeader(headers, 'Server', KONG_SERVER);
    setHeader(headers, 'X-Kong-Request-Id', id);
    // A request body nobody read must not be taken for the next request on this connection.
    if (!res.req.readableEnded) res.req.resume();
    res.writeHead(exit.status, headers);
    res.end(exit.body);
  }
}

/**
 * Starts the embedded gateway's proxy: Kong's route matching, the bundled plugins, and forwarding
 * to the matched service, serving the given state until setState replaces it.
 */
export async function startGatewayProxy(options: GatewayProxyOptions): Promise<GatewayProxy> {
  const available = bundledPlugins(new RateLimitCounters());
  let compiled = new CompiledState(options.state, available);
  const now = options.now ?? Date.now;
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const server = http.createServer((req, res) => {
    const handler = new ProxyRequestHandler(compiled, now, agents, (server.address() as AddressInfo).port);
    handler.handle(req, res).catch(() => {
      if (res.headersSent) res.destroy();
      else {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', server: KONG_SERVER });
        res.end(JSON.stringify({ message: 'An unexpected error occurred' }));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    setState(state) {
      compiled = new CompiledState(state, available);
    },
    close: () =>
      new Promise<void>((resolve) => {
        agents.http.destroy();
        agents.https.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
