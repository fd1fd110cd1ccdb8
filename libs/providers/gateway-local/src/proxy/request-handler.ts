import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type https from 'node:https';
import { KONG_SERVER, kongError, type KongExit } from '../kong-error';
import type { AccessContext, FilteredResponse, PluginRun } from '../plugins/plugin';
import { getHeader, setHeader } from '../plugins/plugin';
import type { AnyPlugin } from '../plugins/registry';
import { escapeUpstreamPath } from '../router/normalize-path';
import type { CompiledState, ConfiguredPlugin } from './compiled-state';
import { DownstreamRequest } from './downstream-request';
import { forward } from './forward';
import { passedRequestHeaders, proxiedResponseHeaders, setForwardingHeaders } from './kong-headers';

/** Kong's request id: 32 hex digits. A UUID's draw comes from a pool, not a fresh call for entropy per request. */
function requestId(): string {
  return randomUUID().replaceAll('-', '');
}

interface Ran {
  configured: ConfiguredPlugin;
  run: PluginRun;
}

/** One request through the gateway: match, the plugins' access phase, forward, header_filter, respond. */
export class ProxyRequestHandler {
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
    const upstreamHeaders = passedRequestHeaders(req);
    const queryStart = match.upstreamTarget.indexOf('?');
    let upstreamPath = queryStart === -1 ? match.upstreamTarget : match.upstreamTarget.slice(0, queryStart);
    // Undefined while no plugin changed it: then the query goes upstream exactly as received.
    let upstreamQuery: string | undefined;
    const receivedQuery = queryStart === -1 ? '' : match.upstreamTarget.slice(queryStart + 1);
    let upstreamMethod = req.method ?? 'GET';
    // A Host a plugin sets (kong.service.request.set_header sets upstream_host) wins over the service's.
    let upstreamHost: string | undefined;
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
        headers: () => upstreamHeaders,
        // As ngx.req.set_header and clear_header: names case-insensitive, `_` read as `-`.
        setHeader: (name, value) => {
          const normalized = name.toLowerCase().replace(/_/g, '-');
          if (normalized === 'host') upstreamHost = Array.isArray(value) ? value[0] : value;
          setHeader(upstreamHeaders, normalized, value);
        },
        clearHeader: (name) => setHeader(upstreamHeaders, name.toLowerCase().replace(/_/g, '-'), undefined),
        clearQueryArg: (name) => {
          const query = new URLSearchParams(upstreamQuery ?? receivedQuery);
          if (!query.has(name)) return;
          query.delete(name);
          upstreamQuery = query.toString();
        },
        query: () => upstreamQuery ?? receivedQuery,
        setQuery: (query) => {
          upstreamQuery = query;
        },
        setMethod: (method) => {
          upstreamMethod = method;
        },
        setPath: (path) => {
          upstreamPath = escapeUpstreamPath(path);
        },
        body: () => replacedBody,
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

    setForwardingHeaders(upstreamHeaders, req, { ...match, service: match.service }, request.clientIp, this.localPort);
    if (upstreamHost !== undefined) upstreamHeaders['host'] = upstreamHost;

    let upstreamTarget = upstreamPath;
    if (upstreamQuery === undefined) upstreamTarget += queryStart === -1 ? '' : `?${receivedQuery}`;
    else if (upstreamQuery) upstreamTarget += `?${upstreamQuery}`;
    let body: Buffer | IncomingMessage | undefined = replacedBody ?? request.body;
    if (replacedBody || request.body) upstreamHeaders['content-length'] = String((body as Buffer).length);
    else if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) body = req;

    const outcome = await forward(
      {
        service: match.service,
        method: upstreamMethod,
        target: upstreamTarget,
        headers: upstreamHeaders as OutgoingHttpHeaders,
        body,
      },
      this.agents,
    );
    if (outcome.kind === 'failed') {
      const exit = kongError(outcome.status, undefined, id, accept);
      const response: FilteredResponse = { status: exit.status, headers: { ...exit.headers, ...ctx.responseHeaders } };
      this.headerFilter(ran, ctx, response);
      return this.exit(res, { ...exit, headers: response.headers as Record<string, string> }, id, receivedAt);
    }
    const upstream = outcome.response;
    const headers = proxiedResponseHeaders(upstream, { receivedAt, sentAt: outcome.sentAt }, id);
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
