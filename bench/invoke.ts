import { sourceArchive } from '@dispatch/testing';
import { measureAll } from './lib/measure';
import { printTable } from './lib/report';
import { cpuRows, latencyRows } from './lib/rows';
import { ECHO_SOURCE, echoFunction, startBenchSolo } from './lib/solo';
import { socketRequest } from './lib/socket-request';

const REPLICAS = 2;

/**
 * A blocking run through the whole platform (`POST /v1/runs`: auth, catalog, runner chain, the
 * OpenFaaS client, faas-local, the run record) against calling the same warm function on the
 * provider directly (`POST /function/<name>` on faas-local's unix socket), in the same solo server. Also the
 * time from create to the first successful run, beside a deploy straight on the provider.
 */
export async function benchInvoke(seconds: number, connections: number): Promise<void> {
  const solo = await startBenchSolo();
  try {
    const createToFirstRun = await timeToFirstRun(solo.api, solo.admin, 'bench-first');
    const image = await imageOf(solo.api, solo.admin, 'bench-first');
    const deployToFirstCall = await timeToFirstDirectCall(solo.faasSocket, solo.faasAuthorization, image);

    const calls = await echoFunction(solo, 'bench', REPLICAS);
    const { direct: provider, run: platform } = await measureAll(solo.process.child.pid as number, calls, seconds, connections);
    printTable(
      `blocking run via POST /v1/runs vs the warm function on faas-local directly (${connections} connections, ${seconds} s each, ${REPLICAS} replicas)`,
      [
        ...latencyRows(platform, provider, connections, { throughput: '>= 0.7', addedMs: 1 }),
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
    printTable(
      `CPU per call at ${connections} connections (the server process, its function workers and its embedded PostgreSQL)`,
      cpuRows(platform.loaded.cpu, provider.loaded.cpu),
    );
  } finally {
    await solo.stop();
  }
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
