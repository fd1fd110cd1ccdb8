import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { load } from './lib/load';
import { freePort, startProcess } from '@dispatch/testing';
import { printTable } from './lib/report';

const BARE_SERVER = `
require('node:http').createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.end('{"status":"ok"}');
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

const BARE_FASTIFY = `
const app = require('fastify')();
app.get('/', async () => ({ status: 'ok' }));
app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
`;

/**
 * Solo `/healthz` against a bare Node HTTP server answering the same body: the cost of the
 * framework, request ids, logging and metrics on the cheapest route. Also times cold starts.
 */
export async function benchHealthz(seconds: number, connections: number): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), 'dispatch-bench-'));
  const solo = resolve(__dirname, '../apps/dispatch/src/main.js');
  try {
    const barePort = await freePort();
    const bare = await startProcess(['-e', BARE_SERVER], { PORT: String(barePort) }, `http://127.0.0.1:${barePort}/`);
    // The HTTP framework alone, with nothing of ours: shows how much of the gap is Fastify itself.
    const fastifyPort = await freePort();
    const fastify = await startProcess(['-e', BARE_FASTIFY], { PORT: String(fastifyPort) }, `http://127.0.0.1:${fastifyPort}/`);

    const soloEnv = async () => ({
      PORT: String(await freePort()),
      GATEWAY_PORT: String(await freePort()),
      DISPATCH_HOME: home,
      LOG_LEVEL: 'info',
    });
    let env = await soloEnv();
    const first = await startProcess([solo], env, `http://127.0.0.1:${env.PORT}/readyz`, 120_000);
    await first.stop();
    env = await soloEnv();
    const server = await startProcess([solo], env, `http://127.0.0.1:${env.PORT}/readyz`, 120_000);

    const warm = Math.min(2, seconds);
    await load(`http://127.0.0.1:${barePort}/`, { seconds: warm, connections });
    await load(`http://127.0.0.1:${env.PORT}/healthz`, { seconds: warm, connections });
    const base = await load(`http://127.0.0.1:${barePort}/`, { seconds, connections });
    const measured = await load(`http://127.0.0.1:${env.PORT}/healthz`, { seconds, connections });
    await load(`http://127.0.0.1:${fastifyPort}/`, { seconds: warm, connections });
    const framework = await load(`http://127.0.0.1:${fastifyPort}/`, { seconds, connections });
    await server.stop();
    await bare.stop();
    await fastify.stop();
    if (measured.errors + measured.non2xx > 0)
      throw new Error(`solo /healthz had ${measured.errors} errors and ${measured.non2xx} non-2xx answers`);

    printTable(`solo /healthz vs bare node:http (${connections} connections, ${seconds} s each)`, [
      { name: 'throughput', value: measured.requestsPerSec, baseline: base.requestsPerSec, unit: 'req/s', higherIsBetter: true },
      {
        name: 'throughput, bare Fastify (reference)',
        value: framework.requestsPerSec,
        baseline: base.requestsPerSec,
        unit: 'req/s',
        higherIsBetter: true,
      },
      { name: 'p50 latency', value: measured.p50Ms, baseline: base.p50Ms, unit: 'ms', higherIsBetter: false },
      { name: 'p99 latency', value: measured.p99Ms, baseline: base.p99Ms, unit: 'ms', higherIsBetter: false },
      {
        name: 'cold start, first (initdb)',
        value: first.readyAfterMs,
        baseline: bare.readyAfterMs,
        unit: 'ms',
        higherIsBetter: false,
      },
      { name: 'cold start, existing data dir', value: server.readyAfterMs, baseline: bare.readyAfterMs, unit: 'ms', higherIsBetter: false },
    ]);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
