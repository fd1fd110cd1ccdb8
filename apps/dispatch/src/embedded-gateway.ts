import { createServer } from 'node:net';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startGateway, type Gateway } from '@dispatch/gateway-local';

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
export async function startEmbeddedGateway(home: string, port: number, host: string): Promise<EmbeddedGateway> {
  const adminSocket = join(home, 'gateway-admin.sock');
  // The data dir is locked by this process: a socket file there is a leftover of one that died.
  await rm(adminSocket, { force: true });
  const gateway = await startGateway({ proxyPort: port, host, adminSocket });
  return { gateway, adminSocket, url: gateway.proxy.url };
}

/**
 * A port for the API when PORT is 0: chosen before the services are composed, since the gateway's
 * routes name function-manager's address (the API's own) before the API listens.
 */
export async function choosePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
