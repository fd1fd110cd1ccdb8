import { Agent, type Server } from 'node:http';
import { createConnection, type NetConnectOpts } from 'node:net';
import { chmod, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startGateway, type Gateway } from '@dispatch/gateway-local';
import { inMemoryConnection } from '@dispatch/util';

/** The embedded gateway and where api-manager reaches its Admin API. */
export interface EmbeddedGateway {
  gateway: Gateway;
  /** The Admin API's unix socket (in DISPATCH_HOME, which is 0700: only this user may change what the gateway serves). */
  adminSocket: string;
  /** The proxy, as clients call it. */
  url: string;
}

/**
 * Solo mode's Kong: gateway-local's proxy on GATEWAY_PORT and its Admin API on a unix socket in
 * the data dir, which api-manager drives with the same client and reconcile loop as a real Kong.
 */
export async function startEmbeddedGateway(home: string, port: number, host: string, api: ApiServer): Promise<EmbeddedGateway> {
  const adminSocket = join(home, 'gateway-admin.sock');
  // The data dir is locked by this process: a socket file there is a leftover of one that died.
  await rm(adminSocket, { force: true });
  const httpAgent = upstreamAgent(api);
  try {
    const gateway = await startGateway({ proxyPort: port, host, adminSocket, httpAgent });
    // Its Admin API has no authentication: only this user may reach it, whatever DISPATCH_HOME's mode.
    await chmod(adminSocket, 0o600);
    const close = gateway.close;
    let closing: Promise<void> | undefined;
    // Closed first when the server stops (no request forwarded into a closing API), and again by
    // the undo of its start when that came first: once is enough.
    gateway.close = () =>
      (closing ??= close().finally(() => {
        httpAgent.destroy();
      }));
    return { gateway, adminSocket, url: gateway.proxy.url };
  } catch (err) {
    httpAgent.destroy();
    throw err;
  }
}

/** The API server of this process, as the gateway's services name it; its server once it exists. */
export interface ApiServer {
  port: number;
  server?: Server;
}

/**
 * The gateway's connections to http services: to this process's own API (function-manager's invoke
 * route, every API's upstream) in memory, like function-manager's to faas-local, so a call through
 * the gateway pays no loopback round trip for that hop; to anything else, TCP as usual.
 */
export function upstreamAgent(api: ApiServer): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const tcp = agent.createConnection.bind(agent);
  agent.createConnection = (options, onCreate) => {
    const { server } = api;
    const { host, port } = options as NetConnectOpts & { host?: string; port?: number };
    if (server && Number(port) === api.port && isLoopback(host)) return inMemoryConnection(server) as ReturnType<typeof createConnection>;
    return tcp(options, onCreate);
  };
  return agent;
}

function isLoopback(host: string | undefined): boolean {
  return host === undefined || host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}
