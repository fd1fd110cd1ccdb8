// A minimal runtime shim for the client's faas-local suite, honouring the shim contract of
// @dispatch/contracts (functions.ts): listens on DISPATCH_SOCKET, answers GET /_/health, and for
// POST / runs the handler `require(DISPATCH_CODE_DIR/DISPATCH_HANDLER)` with the {context, payload}
// envelope. It runs as plain node (test-support is neither built nor transformed).
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const { DISPATCH_SOCKET: socket, DISPATCH_CODE_DIR: codeDir, DISPATCH_HANDLER: handlerName } = process.env;
const handler = createRequire(import.meta.url)(join(codeDir, handlerName));
console.log(`echo shim ready (pid ${process.pid})`);

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const send = (status, value) => {
      const text = JSON.stringify(value);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (req.method === 'GET' && req.url === '/_/health') return send(200, { ready: true });
    const envelope = JSON.parse(Buffer.concat(chunks).toString() || '{}');
    const payload = await handler(envelope.context ?? {}, envelope.payload);
    send(200, { context: { logs: { stdout: [], stderr: [] }, error: null }, payload });
  });
});
server.listen(socket);
process.once('SIGTERM', () => server.close(() => process.exit(0)));
