import type { IncomingMessage } from 'node:http';
import { KONG_SERVER } from '../kong-error';
import { getHeader, setHeader } from '../plugins/plugin';
import type { RouteMatch } from '../router';

/** Headers that describe one connection, never passed through (RFC 9110 §7.6.1). */
export const HOP_BY_HOP = new Set([
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

/** The client's headers less the hop-by-hop ones: what plugins then change and the upstream gets. */
export function passedRequestHeaders(req: IncomingMessage): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
  return headers;
}

/**
 * The headers Kong sets on every proxied request: Host (the service's, or the client's with
 * preserve_host), X-Forwarded-* (the client's replaced, as with no trusted_ips, For appended to) and
 * X-Real-IP.
 */
export function setForwardingHeaders(
  headers: Record<string, string | string[]>,
  req: IncomingMessage,
  match: RouteMatch & { service: NonNullable<RouteMatch['service']> },
  clientIp: string,
  localPort: number,
): void {
  const { service } = match;
  const defaultPort = service.protocol === 'https' ? 443 : 80;
  const servicePort = service.port ?? defaultPort;
  headers['host'] = match.upstreamHost ?? (servicePort === defaultPort ? service.host : `${service.host}:${servicePort}`);
  const forwardedFor = getHeader(req.headers, 'x-forwarded-for');
  headers['x-forwarded-for'] = forwardedFor ? `${forwardedFor}, ${clientIp}` : clientIp;
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-host'] = (req.headers.host ?? '').replace(/:\d+$/, '');
  headers['x-forwarded-port'] = String(localPort);
  headers['x-forwarded-path'] = (req.url ?? '/').split('?')[0]!;
  if (match.strippedPrefix) headers['x-forwarded-prefix'] = match.strippedPrefix;
  else delete headers['x-forwarded-prefix'];
  headers['x-real-ip'] = clientIp;
}

/**
 * The upstream's response headers less the hop-by-hop ones, as received (case and repeats kept),
 * plus Kong's: Via, Server when the upstream sent none, the latencies and the request id.
 */
export function proxiedResponseHeaders(
  upstream: IncomingMessage,
  timings: { receivedAt: number; sentAt: number },
  requestId: string,
): Record<string, string | string[]> {
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
  setHeader(headers, 'X-Kong-Upstream-Latency', String(Date.now() - timings.sentAt));
  setHeader(headers, 'X-Kong-Proxy-Latency', String(timings.sentAt - timings.receivedAt));
  setHeader(headers, 'X-Kong-Request-Id', requestId);
  return headers;
}
