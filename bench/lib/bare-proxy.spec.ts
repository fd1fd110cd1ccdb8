import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bareProxy } from './bare-proxy';
import type { Provider } from './platform';

const listen = (server: Server, at: string | number) =>
  new Promise<void>((resolve) => (typeof at === 'string' ? server.listen(at, resolve) : server.listen(at, '127.0.0.1', resolve)));
const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
const portOf = (server: Server) => (server.address() as AddressInfo).port;

describe('bareProxy', () => {
  let dir: string;
  let seen: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string }[];
  let connections: number;
  const upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      // Two writes and no length: the answer streams back chunked.
      res.writeHead(201, { 'x-upstream': 'yes', 'content-type': 'text/plain' });
      res.write('got:');
      setTimeout(() => res.end(body), 5);
    });
  });
  upstream.on('connection', () => connections++);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-bare-proxy-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    seen = [];
    connections = 0;
  });

  const through = async (provider: Provider, test: (url: string) => Promise<void>) => {
    const proxy = bareProxy(provider);
    await listen(proxy, 0);
    try {
      await test(`http://127.0.0.1:${portOf(proxy)}`);
    } finally {
      await close(proxy);
    }
  };

  /** Two calls in a row: each as the upstream would answer it directly, both on one kept-alive upstream connection. */
  const forwardsTwoCalls = async (provider: Provider) => {
    await through(provider, async (url) => {
      for (const n of [1, 2]) {
        const res = await fetch(`${url}/function/echo?n=${n}`, { method: 'POST', headers: { 'x-caller': 'bench' }, body: `hello ${n}` });
        expect(res.status).toBe(201);
        expect(res.headers.get('x-upstream')).toBe('yes');
        expect(res.headers.get('transfer-encoding')).toBe('chunked');
        expect(await res.text()).toBe(`got:hello ${n}`);
      }
    });
    expect(seen).toEqual([1, 2].map((n) => expect.objectContaining({ method: 'POST', url: `/function/echo?n=${n}`, body: `hello ${n}` })));
    expect(seen[0].headers['x-caller']).toBe('bench');
    expect(connections).toBe(1);
  };

  it('forwards to a unix socket: method, path, headers and body there, status, headers and body back', async () => {
    const socketPath = join(dir, 'upstream.sock');
    await listen(upstream, socketPath);
    try {
      await forwardsTwoCalls({ url: 'http://localhost', socketPath });
    } finally {
      await close(upstream);
    }
  });

  it('forwards to a TCP port the same way', async () => {
    await listen(upstream, 0);
    try {
      await forwardsTwoCalls({ url: `http://127.0.0.1:${portOf(upstream)}` });
    } finally {
      await close(upstream);
    }
  });

  it('answers 502 when the upstream is not there', async () => {
    await through({ url: 'http://localhost', socketPath: join(dir, 'nobody.sock') }, async (url) => {
      expect((await fetch(`${url}/healthz`)).status).toBe(502);
    });
  });
});
