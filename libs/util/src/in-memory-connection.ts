import type { Server } from 'node:http';
import { type Duplex, duplexPair } from 'node:stream';

/**
 * One end of an in-memory stream pair, the other end handed to `server` as a new connection: HTTP
 * between two parts of one process with the same requests and answers as over a socket, without
 * the kernel's work per call (most of a loopback call's cost). The few net.Socket methods HTTP
 * calls on its sockets are no-ops here: nothing to tune, nothing to time out.
 */
export function inMemoryConnection(server: Server): Duplex {
  const [client, serverSide] = duplexPair();
  for (const end of [client, serverSide]) {
    Object.assign(end, {
      remoteAddress: '127.0.0.1',
      setKeepAlive: () => end,
      setNoDelay: () => end,
      setTimeout: () => end,
      ref: () => end,
      unref: () => end,
    });
  }
  server.emit('connection', serverSide);
  return client;
}
