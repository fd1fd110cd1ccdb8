import { Agent, createServer, request } from 'node:http';
import { serverMain } from '../lib/server-main';

/**
 * The cheapest hop Node can add in front of faas-local, the floor a service in the call path is
 * measured against: a bare `node:http` reverse proxy on 127.0.0.1:PORT forwarding every request
 * to UPSTREAM_SOCKET (a unix socket) or UPSTREAM_URL over kept-alive connections, the body
 * streamed both ways, status and headers copied. Nothing else: no routing, parsing or logging.
 */
serverMain(async () => {
  const socketPath = process.env['UPSTREAM_SOCKET'];
  const upstream = new URL(process.env['UPSTREAM_URL'] ?? 'http://localhost');
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const server = createServer((req, res) => {
    const forward = request(
      {
        agent,
        ...(socketPath ? { socketPath } : { host: upstream.hostname, port: upstream.port }),
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
  await new Promise<void>((resolve) => server.listen(Number(process.env['PORT']), '127.0.0.1', resolve));
  return async () => {
    server.close();
    server.closeAllConnections();
    agent.destroy();
  };
});
