import { Agent, createServer, request } from 'node:http';
import { inMemoryConnection } from './in-memory-connection';

/** The body of a GET through `agent`. */
function getText(agent: Agent, path: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    request(`http://in-memory${path}`, { agent }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });
}

describe('inMemoryConnection', () => {
  const agentTo = (server: ReturnType<typeof createServer>) => {
    const agent = new Agent({ keepAlive: true });
    agent.createConnection = () => inMemoryConnection(server) as never;
    return agent;
  };

  it('carries HTTP both ways, several requests on one connection', async () => {
    const server = createServer((req, res) => res.end(`${req.method} ${req.url}`));
    const agent = agentTo(server);
    const get = (path: string) => getText(agent, path);
    expect(await get('/a')).toBe('GET /a');
    expect(await get('/b')).toBe('GET /b');
    agent.destroy();
  });

  it('times a request out when no byte comes back within its timeout, as over a socket', async () => {
    const server = createServer(() => undefined);
    const agent = agentTo(server);
    const started = Date.now();
    const outcome = await new Promise<string>((resolve) => {
      const req = request('http://in-memory/slow', { agent });
      req.setTimeout(150, () => {
        resolve('timeout');
        req.destroy();
      });
      req.on('error', () => undefined);
      req.end();
    });
    expect(outcome).toBe('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    agent.destroy();
  });

  it('does not time out a connection that keeps talking', async () => {
    const server = createServer((_req, res) => {
      let n = 0;
      const tick = setInterval(() => {
        res.write('.');
        if (++n === 5) {
          clearInterval(tick);
          res.end();
        }
      }, 60);
    });
    const agent = agentTo(server);
    const body = await new Promise<string>((resolve, reject) => {
      const req = request('http://in-memory/drip', { agent }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      });
      req.setTimeout(150, () => reject(new Error('timed out while bytes kept coming')));
      req.end();
    });
    expect(body).toBe('.....');
    agent.destroy();
  });

  it('closes the client end when the server drops the connection, so the next request takes a new one', async () => {
    const server = createServer((req, res) => res.end(req.url));
    server.keepAliveTimeout = 100;
    const agent = agentTo(server);
    const get = (path: string) => getText(agent, path);
    expect(await get('/first')).toBe('/first');
    // Idle past the server's keep-alive timeout: the server ends the connection, as it would a socket.
    await new Promise((r) => setTimeout(r, 300));
    let timer: NodeJS.Timeout | undefined;
    const answer = await Promise.race([get('/second'), new Promise((r) => (timer = setTimeout(() => r('no answer'), 2000)))]);
    clearTimeout(timer);
    expect(answer).toBe('/second');
    agent.destroy();
  });
});
