import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, soloAdminToken, sourceArchive, startProcess } from '@dispatch/testing';
import { load } from './lib/load';
import { cpuPerRequestUs, treeCpu } from './lib/process-cpu';
import { printTable } from './lib/report';
import { socketRequest } from './lib/socket-request';

const SOLO = resolve(__dirname, '../apps/dispatch/src/main.js');

/** The benchmarked function: it echoes, so the figures are the platform's, not the function's. */
const SOURCE = `module.exports = (context, payload) => ({ echo: payload });\n`;
const REPLICAS = 2;

/**
 * A blocking run through the whole platform (`POST /v1/runs`: auth, catalog, runner chain, the
 * OpenFaaS client, faas-local, the run record) against calling the same warm function on the
 * provider directly (`POST /function/<name>` on faas-local's unix socket), in the same solo server. Also the
 * time from create to the first successful run, beside a deploy straight on the provider.
 */
export async function benchInvoke(seconds: number, connections: number): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), 'dispatch-bench-invoke-'));
  const port = await freePort();
  const faasPassword = randomBytes(18).toString('base64url');
  const faasAuthorization = `Basic ${Buffer.from(`dispatch:${faasPassword}`).toString('base64')}`;
  const api = `http://127.0.0.1:${port}`;
  // faas-local listens on a unix socket in the data dir; the direct calls go there too.
  const faasSocket = join(home, 'faas-local.sock');
  const faas = 'http://localhost';
  // BENCH_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles the server under the load.
  const nodeArgs = (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const server = await startProcess(
    [...nodeArgs, SOLO],
    {
      PORT: String(port),
      GATEWAY_PORT: '0',
      FAAS_LOCAL_PASSWORD: faasPassword,
      DISPATCH_HOME: home,
      DATABASE_URL: '',
      NATS_URL: '',
      LOG_LEVEL: 'warn',
    },
    `${api}/readyz`,
    { timeoutMs: 120_000, detached: true },
  );
  try {
    const token = await soloAdminToken(home);
    const auth = { authorization: `Bearer ${token}` };

    const createToFirstRun = await timeToFirstRun(api, auth, 'bench-first');
    const deployToFirstCall = await timeToFirstDirectCall(faasSocket, faasAuthorization, await imageOf(api, auth, 'bench-first'));

    const create = await fetch(`${api}/v1/function`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'bench',
        runtime: 'nodejs',
        handler: 'index.js',
        source: await sourceArchive({ 'index.js': SOURCE }),
        minReplicas: REPLICAS,
        maxReplicas: REPLICAS,
      }),
    });
    if (create.status !== 201) throw new Error(`create answered ${create.status}: ${await create.text()}`);
    await untilReady(api, auth, 'bench');
    const version = (await (await fetch(`${api}/v1/function/bench/versions`, { headers: auth })).json()) as {
      items: { providerName: string }[];
    };
    const direct = `${faas}/function/${version.items[0].providerName}`;
    const envelope = JSON.stringify({ context: {}, payload: { n: 1 } });
    const run = `${api}/v1/runs?functionName=bench`;
    const runBody = JSON.stringify({ input: { n: 1 }, blocking: true });
    const json = { 'content-type': 'application/json' };

    const measure = async (url: string, body: string, headers: Record<string, string>, clients: number) => {
      const socketPath = url.startsWith(faas) ? faasSocket : undefined;
      await load(url, { seconds: Math.min(2, seconds), connections: clients, method: 'POST', headers, body, socketPath });
      const before = treeCpu(server.child.pid as number);
      const result = await load(url, { seconds, connections: clients, method: 'POST', headers, body, socketPath });
      const cpu = cpuPerRequestUs(before, treeCpu(server.child.pid as number), result.requests);
      if (result.errors + result.non2xx > 0) throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
      return { ...result, cpu: splitCpu(cpu) };
    };
    const provider = await measure(direct, envelope, json, connections);
    const platform = await measure(run, runBody, { ...json, ...auth }, connections);
    // Added latency is read one call at a time: under load both sides mostly measure their queue.
    const providerAlone = await measure(direct, envelope, json, 1);
    const platformAlone = await measure(run, runBody, { ...json, ...auth }, 1);
    printTable(
      `blocking run via POST /v1/runs vs the warm function on faas-local directly (${connections} connections, ${seconds} s each, ${REPLICAS} replicas)`,
      [
        {
          name: 'throughput',
          value: platform.requestsPerSec,
          baseline: provider.requestsPerSec,
          unit: 'req/s',
          higherIsBetter: true,
          goal: '>= 0.7',
        },
        {
          name: `p50 latency, ${connections} connections`,
          value: platform.p50Ms,
          baseline: provider.p50Ms,
          unit: 'ms',
          higherIsBetter: false,
        },
        {
          name: `p99 latency, ${connections} connections`,
          value: platform.p99Ms,
          baseline: provider.p99Ms,
          unit: 'ms',
          higherIsBetter: false,
        },
        // One call at a time, the mean latency is the inverse of the throughput (autocannon's own
        // latency figures are whole milliseconds, too coarse here).
        {
          name: 'mean latency, one call at a time',
          value: 1000 / platformAlone.requestsPerSec,
          baseline: 1000 / providerAlone.requestsPerSec,
          unit: 'ms',
          higherIsBetter: false,
          goal: `added ${(1000 / platformAlone.requestsPerSec - 1000 / providerAlone.requestsPerSec).toFixed(2)} ms (<= 1 ms)`,
        },
        {
          name: 'throughput, one call at a time',
          value: platformAlone.requestsPerSec,
          baseline: providerAlone.requestsPerSec,
          unit: 'req/s',
          higherIsBetter: true,
        },
        {
          name: 'create → first successful run',
          value: createToFirstRun,
          baseline: deployToFirstCall,
          unit: 'ms',
          higherIsBetter: false,
          goal: '<= 1000 ms',
        },
      ],
    );
    // CPU per call says where the time goes whatever else the machine runs: when the cores are
    // saturated, the throughput ratio cannot exceed the ratio of the totals.
    printTable(`CPU per call at ${connections} connections (the server process, its function workers and its embedded PostgreSQL)`, [
      {
        name: 'server process (API, faas-local)',
        value: platform.cpu.server,
        baseline: provider.cpu.server,
        unit: 'µs',
        higherIsBetter: false,
      },
      { name: 'function workers', value: platform.cpu.workers, baseline: provider.cpu.workers, unit: 'µs', higherIsBetter: false },
      { name: 'PostgreSQL', value: platform.cpu.postgres, baseline: provider.cpu.postgres, unit: 'µs', higherIsBetter: false },
      { name: 'all of them', value: platform.cpu.total, baseline: provider.cpu.total, unit: 'µs', higherIsBetter: false },
    ]);
  } finally {
    await server.stop('SIGTERM', 30_000);
    await rm(home, { recursive: true, force: true });
  }
}

/** The server's own CPU, its embedded PostgreSQL's and the rest of its descendants' (the function workers). */
function splitCpu(cpu: Record<string, number>): { server: number; postgres: number; workers: number; total: number } {
  const total = Object.values(cpu).reduce((a, b) => a + b, 0);
  const postgres = cpu['postgres'] ?? 0;
  return { server: cpu['server'], postgres, workers: total - cpu['server'] - postgres, total };
}

/** From the create request to the first run answered SUCCEEDED, asking again while it is not READY. */
async function timeToFirstRun(api: string, auth: Record<string, string>, name: string): Promise<number> {
  const body = JSON.stringify({ name, runtime: 'nodejs', handler: 'index.js', source: await sourceArchive({ 'index.js': SOURCE }) });
  const t0 = performance.now();
  const created = await fetch(`${api}/v1/function`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body });
  if (created.status !== 201) throw new Error(`create answered ${created.status}: ${await created.text()}`);
  for (;;) {
    const res = await fetch(`${api}/v1/runs?functionName=${name}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"blocking":true}',
    });
    if (res.status === 200 && ((await res.json()) as { status: string }).status === 'SUCCEEDED') return performance.now() - t0;
    if (res.status !== 409) throw new Error(`run answered ${res.status}: ${await res.text()}`);
    if (performance.now() - t0 > 30_000) throw new Error('no successful run within 30 s of create');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function imageOf(api: string, auth: Record<string, string>, name: string): Promise<string> {
  const versions = (await (await fetch(`${api}/v1/function/${name}/versions`, { headers: auth })).json()) as { items: { image: string }[] };
  return versions.items[0].image;
}

/** The same image deployed straight on faas-local, to its first successful call: the provider's own cold start. */
async function timeToFirstDirectCall(socketPath: string, authorization: string, image: string): Promise<number> {
  const headers = { 'content-type': 'application/json', authorization };
  const t0 = performance.now();
  const deployment = JSON.stringify({
    service: 'bench-direct',
    image,
    envVars: { DISPATCH_RUNTIME: 'nodejs', DISPATCH_HANDLER: 'index.js' },
  });
  const deployed = await socketRequest(socketPath, 'POST', '/system/functions', headers, deployment);
  if (deployed.status !== 202) throw new Error(`direct deploy answered ${deployed.status}: ${deployed.text}`);
  for (;;) {
    const res = await socketRequest(socketPath, 'POST', '/function/bench-direct', headers, '{"context":{},"payload":null}');
    if (res.status === 200) return performance.now() - t0;
    if (performance.now() - t0 > 30_000) throw new Error('no successful direct call within 30 s of deploy');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function untilReady(api: string, auth: Record<string, string>, name: string): Promise<void> {
  const t0 = performance.now();
  for (;;) {
    const fn = (await (await fetch(`${api}/v1/function/${name}`, { headers: auth })).json()) as { status: string; reason: string[] };
    if (fn.status === 'READY') return;
    if (fn.status === 'ERROR') throw new Error(`function ${name} failed: ${fn.reason.join('; ')}`);
    if (performance.now() - t0 > 60_000) throw new Error(`function ${name} not READY within 60 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
