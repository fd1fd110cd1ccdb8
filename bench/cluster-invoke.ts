import { startBenchCluster } from './lib/cluster';
import { measureAll } from './lib/measure';
import { echoFunction } from './lib/platform';
import { descendantsMs, processCpuMs, treeCpu } from './lib/process-cpu';
import { printTable } from './lib/report';
import { type CpuPart, cpuRows, latencyRows, PROXY_PART, proxyHopRow } from './lib/rows';
import { type BenchServer, startBareProxy, throughProxy } from './lib/servers';

const REPLICAS = 2;

/** The processes a call may pass through, as the cluster meter names them. */
const RUN_PARTS: CpuPart[] = [
  ['function-manager', 'function-manager'],
  ['identity-manager', 'identity-manager'],
  ['faas-local', 'faas-local'],
  ['workers', 'function workers'],
  ['postgres', 'PostgreSQL backends (bench db)'],
];
const PROXY_PARTS: CpuPart[] = [PROXY_PART, ['faas-local', 'faas-local'], ['workers', 'function workers']];

/**
 * The cluster layout: a blocking run through function-manager (`POST /v1/runs`: token check,
 * catalog, runner chain, the OpenFaaS client over TCP, the run record in PostgreSQL), with
 * identity-manager and faas-local each a process of its own, against the same warm function
 * called on faas-local directly and through a bare `node:http` proxy: the cheapest hop a Node
 * process can add, the floor for function-manager's own CPU per run.
 */
export async function benchClusterInvoke(seconds: number, connections: number): Promise<void> {
  const cluster = await startBenchCluster();
  let proxy: BenchServer | undefined;
  try {
    const { direct, run } = await echoFunction(cluster.platform, cluster.faas, 'bench', REPLICAS);
    proxy = await startBareProxy(cluster.faas);
    const { pids } = cluster;
    const proxyPid = proxy.pid;
    const meter = async () => {
      const faas = treeCpu(pids['faas-local']);
      return {
        'function-manager': processCpuMs(pids['function-manager']),
        'identity-manager': processCpuMs(pids['identity-manager']),
        'faas-local': faas.root,
        workers: descendantsMs(faas),
        [PROXY_PART[0]]: processCpuMs(proxyPid),
        postgres: await cluster.postgresCpuMs(),
      };
    };
    const measured = await measureAll(meter, { direct, proxy: throughProxy(direct, proxy.url), run }, seconds, connections);
    const { direct: provider, proxy: hop, run: platform } = measured;
    const setup = `${connections} connections, ${seconds} s each, ${REPLICAS} replicas`;
    printTable(
      `cluster layout: blocking run via POST /v1/runs on function-manager vs the warm function on faas-local directly (${setup})`,
      latencyRows(platform, provider, connections),
    );
    printTable(
      `cluster layout: the same call through a bare node:http proxy vs on faas-local directly (${setup})`,
      latencyRows(hop, provider, connections),
    );
    printTable(
      `cluster layout: CPU per call at ${connections} connections, blocking run vs faas-local directly (NATS left out: a server shared with the machine)`,
      cpuRows(platform.loaded.cpu, provider.loaded.cpu, undefined, RUN_PARTS),
    );
    printTable(
      `cluster layout: CPU per call at ${connections} connections, through the bare proxy vs faas-local directly`,
      cpuRows(hop.loaded.cpu, provider.loaded.cpu, undefined, PROXY_PARTS),
    );
    printTable(`cluster layout: function-manager's CPU per run vs the bare proxy hop's CPU per call (${connections} connections)`, [
      proxyHopRow('function-manager CPU per run', platform.loaded.cpu['function-manager'], hop, "≤ 1.5× the bare Node proxy hop's"),
    ]);
  } finally {
    await proxy?.stop();
    await cluster.stop();
  }
}
