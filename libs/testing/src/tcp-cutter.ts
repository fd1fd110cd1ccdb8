import { createServer, type Server, Socket } from 'node:net';

/**
 * A loopback TCP relay to a real server that a test can cut and restore, to see what a client
 * does when its dependency goes away (connections reset, new ones refused) and comes back on the
 * same address. Nothing is faked: every byte goes to the real server while the relay is up.
 */
export interface TcpCutter {
  /** Where clients connect: 127.0.0.1:port. */
  readonly port: number;
  /** Resets every open connection and refuses new ones. */
  cut(): Promise<void>;
  /** Accepts connections again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpCutter(target: { host: string; port: number }): Promise<TcpCutter> {
  const open = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = async (): Promise<void> => {
    server = createServer((client) => {
      const upstream = new Socket();
      open.add(client).add(upstream);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
        open.delete(client);
        open.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      upstream.connect(target.port, target.host, () => client.pipe(upstream).pipe(client));
    });
    await new Promise<void>((resolve, reject) => server!.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
    port = (server.address() as { port: number }).port;
  };
  const cut = async (): Promise<void> => {
    const s = server;
    server = undefined;
    for (const socket of open) socket.resetAndDestroy();
    open.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await listen();
  return {
    get port() {
      return port;
    },
    cut,
    restore: async () => {
      if (!server) await listen();
    },
    close: cut,
  };
}
