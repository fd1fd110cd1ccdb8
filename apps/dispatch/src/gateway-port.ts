import { createServer, type Server } from 'node:http';

/**
 * Holds the gateway port until the embedded gateway lands (api-manager issue): it answers as Kong
 * does when no route is configured, so clients see the same behaviour they will get from Kong.
 */
export async function reserveGatewayPort(port: number, host: string): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ message: 'no Route matched with those values' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
