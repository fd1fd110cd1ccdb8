import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findFreePort } from '@dispatch/persistence';
import { upstreamAgent } from './embedded-gateway';

function get(url: string, agent: ReturnType<typeof upstreamAgent>): Promise<string> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });
}

describe("the embedded gateway's upstream connections", () => {
  const servers: Server[] = [];
  const serve = (answer: string) => {
    const server = createServer((_req, res) => res.end(answer));
    servers.push(server);
    return server;
  };
  afterAll(() => servers.forEach((s) => s.close()));

  it("reaches this process's API in memory (no socket listens on its port), and other services over TCP", async () => {
    const api = serve('from the API in memory');
    const apiPort = await findFreePort();
    const other = serve('from another service');
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const agent = upstreamAgent({ port: apiPort, server: api });
    try {
      expect(await get(`http://127.0.0.1:${apiPort}/v1/invoke/x`, agent)).toBe('from the API in memory');
      expect(await get(`http://localhost:${apiPort}/`, agent)).toBe('from the API in memory');
      expect(await get(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`, agent)).toBe('from another service');
      // Before the API exists, its port is only a port: nothing listens there yet.
      const early = upstreamAgent({ port: apiPort });
      await expect(get(`http://127.0.0.1:${apiPort}/`, early)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      early.destroy();
    } finally {
      agent.destroy();
    }
  });
});
