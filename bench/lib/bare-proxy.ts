import { Agent, createServer, request, type Server } from 'node:http';
import type { Provider } from './platform';

/**
 * The cheapest hop Node can add in front of faas-local, the floor a service in the call path is
 * measured against: a bare `node:http` reverse proxy forwarding every request to `upstream` (its
 * unix socket when it has one) over kept-alive connections, the body streamed both ways, status
 * and headers copied. Nothing else: no routing, parsing or logging. Closing the server destroys
 * the upstream connections.
 */
export function bareProxy(upstream: Provider): Server {
  const { hostname, port } = new URL(upstream.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const server = createServer((req, res) => {
    const forward = request(
      {
        agent,
        ...(upstream.socketPath ? { socketPath: upstream.socketPath } : { host: hostname, port }),
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  server.on('close', () => agent.destroy());
  return server;
}
