import { sourceArchive } from '@dispatch/testing';
import { measureAll, soloCpu } from './lib/measure';
import { ECHO_SOURCE, echoFunction } from './lib/platform';
import { processCpuMs } from './lib/process-cpu';
import { printTable } from './lib/report';
import { cpuRows, latencyRows, PROXY_PART, proxyHopRow, SOLO_PARTS } from './lib/rows';
import { type BenchServer, startBareProxy, throughProxy } from './lib/servers';
import { startBenchSolo } from './lib/solo';
import { socketRequest } from './lib/socket-request';

const REPLICAS = 2;

/**
 * A blocking run through the whole platform (`POST /v1/runs`: auth, catalog, runner chain, the
 * OpenFaaS client, faas-local, the run record) against calling the same warm function on the
 * provider directly (`POST /function/<name>` on faas-local's unix socket), in the same solo server,
 * and the same direct call through a bare `node:http` proxy (its own process): the cheapest hop a
 * Node process can add, which the run route's own CPU per call is read against. Also the time from
 * create to the first successful run, beside a deploy straight on the provider.
 */
export async function benchInvoke(seconds: number, connections: number): Promise<void> {
  const solo = await startBenchSolo();
  let proxy: BenchServer | undefined;
  try {
    const createToFirstRun = await timeToFirstRun(solo.api, solo.admin, 'bench-first');
    const image = await imageOf(solo.api, solo.admin, 'bench-first');
    const deployToFirstCall = await timeToFirstDirectCall(solo.faasSocket, solo.faasAuthorization, image);

    const { direct, run } = await echoFunction(solo, solo.faas, 'bench', REPLICAS);
    proxy = await startBareProxy(solo.faas);
    const proxyPid = proxy.pid;
    const serverPid = solo.process.child.pid as number;
    const meter = () => ({ ...soloCpu(serverPid), [PROXY_PART[0]]: processCpuMs(proxyPid) });
    const measured = await measureAll(meter, { direct, run, proxy: throughProxy(direct, proxy.url) }, seconds, connections);
    const { direct: provider, run: platform, proxy: hop } = measured;
    const setup = `${connections} connections, ${seconds} s each, ${REPLICAS} replicas`;
    printTable(`blocking run via POST /v1/runs vs the warm function on faas-local directly (${setup})`, [
      ...latencyRows(platform, provider, connections, { throughput: '>= 0.7', addedMs: 1 }),
      {
        name: 'create → first successful run',
        value: createToFirstRun,
        baseline: deployToFirstCall,
        unit: 'ms',
        higherIsBetter: false,
        goal: '<= 1000 ms',
      },
    ]);
    printTable(
      `the same call through a bare node:http proxy vs on faas-local directly (${setup})`,
      latencyRows(hop, provider, connections),
    );
    printTable(
      `CPU per call at ${connections} connections (the server process, its function workers and its embedded PostgreSQL)`,
      cpuRows(platform.loaded.cpu, provider.loaded.cpu),
    );
    printTable(
      `CPU per call at ${connections} connections, through the bare proxy vs faas-local directly`,
      cpuRows(hop.loaded.cpu, provider.loaded.cpu, undefined, [...SOLO_PARTS, PROXY_PART]),
    );
    // What the run route adds to a call, in units of the cheapest hop a Node process can add.
    printTable(`the run route's CPU per call beyond a direct call, vs the bare proxy hop's (${connections} connections)`, [
      proxyHopRow(
        'server CPU, run minus direct',
        platform.loaded.cpu['server'] - provider.loaded.cpu['server'],
        hop,
        'ratio: multiple of the bare proxy hop',
      ),
    ]);
    // Nothing lost for speed: every blocking run answered has its record (group commit, within about 10 ms).
    const answered = platform.loaded.answered + platform.alone.answered;
    const recorded = await waitForRecords(solo.api, solo.admin, 'bench', answered);
    printTable('guarantees held during the run', [
      {
        name: 'run records, of blocking runs answered',
        value: recorded,
        baseline: answered,
        unit: 'runs',
        higherIsBetter: true,
        goal: recorded >= answered ? 'held: every answered run has its record' : 'NOT HELD: answered runs without a record',
      },
    ]);
  } finally {
    await proxy?.stop();
    await solo.stop();
  }
}

/** How many runs of the function are recorded, once at least `expected` are or after 5 s. */
async function waitForRecords(api: string, auth: Record<string, string>, fn: string, expected: number): Promise<number> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const count = await recordedRuns(api, auth, fn);
    if (count >= expected || Date.now() > deadline) return count;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function recordedRuns(api: string, auth: Record<string, string>, fn: string): Promise<number> {
  let count = 0;
  let token: string | undefined;
  do {
    const query = new URLSearchParams({ pageSize: '500', ...(token ? { pageToken: token } : {}) });
    const res = await fetch(`${api}/v1/function/${fn}/runs?${query}`, { headers: auth });
    if (res.status !== 200) throw new Error(`listing runs answered ${res.status}: ${await res.text()}`);
    const page = (await res.json()) as { items: unknown[]; nextPageToken?: string };
    count += page.items.length;
    token = page.nextPageToken;
  } while (token);
  return count;
}

/** From the create request to the first run answered SUCCEEDED, asking again while it is not READY. */
async function timeToFirstRun(api: string, auth: Record<string, string>, name: string): Promise<number> {
  const body = JSON.stringify({ name, runtime: 'nodejs', handler: 'index.js', source: await sourceArchive({ 'index.js': ECHO_SOURCE }) });
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
