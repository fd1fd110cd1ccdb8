import type http from 'node:http';
import { startGatewayAdmin, type AdminExchange, type GatewayAdmin } from './admin/admin-server';
import { EntityStore } from './admin/entity-store';
import { emptyGatewayState } from './kong-entities';
import { startGatewayProxy, type GatewayProxy } from './proxy/gateway-proxy';

export interface GatewayOptions {
  /** The proxy's port (0 picks one) and host (default 127.0.0.1). */
  proxyPort: number;
  host?: string;
  /** The Admin API on a loopback port (`adminHost`, default 127.0.0.1), or on a unix socket. */
  adminPort?: number;
  adminHost?: string;
  adminSocket?: string;
  /** Every Admin API exchange once answered (contract tests). */
  onAdminExchange?: (exchange: AdminExchange) => void;
  /** Milliseconds since the epoch, for rate-limiting windows and entity timestamps. */
  now?: () => number;
  /** Connections to http services; the proxy's own keep-alive agent when absent. */
  httpAgent?: http.Agent;
}

export interface Gateway {
  admin: GatewayAdmin;
  proxy: GatewayProxy;
  store: EntityStore;
  close(): Promise<void>;
}

/**
 * The embedded gateway whole: the Kong Admin API writes entities into one store, and every write
 * the data plane accepts is served by the proxy from the next request on (a refused one changes nothing).
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  if (options.adminPort === undefined && !options.adminSocket)
    throw new Error('startGateway needs adminPort or adminSocket for its Admin API');
  const proxy = await startGatewayProxy({
    port: options.proxyPort,
    host: options.host,
    state: emptyGatewayState(),
    now: options.now,
    httpAgent: options.httpAgent,
  });
  const store = new EntityStore((state) => proxy.setState(state), options.now);
  let admin: GatewayAdmin;
  try {
    admin = await startGatewayAdmin({
      store,
      port: options.adminPort,
      host: options.adminHost,
      socketPath: options.adminSocket,
      onExchange: options.onAdminExchange,
    });
  } catch (error) {
    await proxy.close();
    throw error;
  }
  return { admin, proxy, store, close: async () => void (await Promise.all([admin.close(), proxy.close()])) };
}
