import { bareProxy } from '../lib/bare-proxy';
import { serverMain } from '../lib/server-main';

/** The bare proxy (lib/bare-proxy) in a process of its own on 127.0.0.1:PORT, in front of UPSTREAM_SOCKET or UPSTREAM_URL. */
serverMain(async () => {
  const socketPath = process.env['UPSTREAM_SOCKET'];
  const server = bareProxy({ url: process.env['UPSTREAM_URL'] ?? 'http://localhost', ...(socketPath ? { socketPath } : {}) });
  await new Promise<void>((resolve) => server.listen(Number(process.env['PORT']), '127.0.0.1', resolve));
  return async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  };
});
