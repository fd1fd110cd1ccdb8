import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { GatewayState } from '../kong-entities';
import { KONG_SERVER } from '../kong-error';
import { RateLimitCounters } from '../plugins/rate-limiting';
import { bundledPlugins } from '../plugins/registry';
import { CompiledState } from './compiled-state';
import { ProxyRequestHandler } from './request-handler';

export interface GatewayProxyOptions {
  port: number;
  host?: string;
  state: GatewayState;
  /** Milliseconds since the epoch; rate-limiting windows follow it (tests move it). */
  now?: () => number;
  /** Connections to http services (the caller's to destroy): e.g. in-process ones to a server of the same process. */
  httpAgent?: http.Agent;
}

export interface GatewayProxy {
  url: string;
  port: number;
  /** Validates and swaps in a new state for the requests that arrive after it; throws, keeping the old one, if invalid. */
  setState(state: GatewayState): void;
  close(): Promise<void>;
}

/**
 * Validates a GatewayState as the proxy would serve it, without serving it: throws
 * RouteConfigError or PluginConfigError naming what Kong would refuse.
 */
export function validateGatewayState(state: GatewayState): void {
  new CompiledState(state, bundledPlugins());
}

/**
 * Starts the embedded gateway's proxy: Kong's route matching, the bundled plugins, and forwarding
 * to the matched service, serving the given state until setState replaces it.
 */
export async function startGatewayProxy(options: GatewayProxyOptions): Promise<GatewayProxy> {
  const available = bundledPlugins(new RateLimitCounters());
  let compiled = new CompiledState(options.state, available);
  const now = options.now ?? Date.now;
  const agents = { http: options.httpAgent ?? new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
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
        if (!options.httpAgent) agents.http.destroy();
        agents.https.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
