import { isDeepStrictEqual } from 'node:util';
import { measureAll, soloCpu, type Target } from './lib/measure';
import { printTable } from './lib/report';
import { cpuRows, latencyRows } from './lib/rows';
import { createReady, echoFunction, PAYLOAD } from './lib/platform';
import { startBenchSolo } from './lib/solo';

const REPLICAS = 2;

/**
 * A public API served by solo mode's embedded gateway (gateway-local: route match, the
 * request-transformer that names the function, the proxy's HTTP exchange with the invoke route,
 * then what a blocking run costs) against the same call as a blocking run (`POST /v1/runs`) and
 * on faas-local directly, all three in one solo server.
 */
export async function benchGateway(seconds: number, connections: number): Promise<void> {
  const solo = await startBenchSolo();
  try {
    const { direct, run } = await echoFunction(solo, solo.faas, 'echo', REPLICAS);
    const api = await createReady(solo, 'api', {
      name: 'echo',
      function: 'echo',
      paths: ['/echo'],
      methods: ['POST'],
      authentication: 'public',
    });
    const gateway: Target = {
      url: `${solo.gateway}${(api['servedPaths'] as string[])[0]}`,
      body: JSON.stringify(PAYLOAD),
      headers: { 'content-type': 'application/json' },
    };
    // The load counts answers, not their content: check once that the gateway's is the function's.
    const answer = await fetch(gateway.url, { method: 'POST', headers: gateway.headers, body: gateway.body });
    const text = await answer.text();
    if (answer.status !== 200 || !isDeepStrictEqual(JSON.parse(text), { echo: PAYLOAD }))
      throw new Error(`${gateway.url} answered ${answer.status}: ${text}`);

    const measured = await measureAll(() => soloCpu(solo.process.child.pid as number), { direct, run, gateway }, seconds, connections);
    const setup = `${connections} connections, ${seconds} s each, ${REPLICAS} replicas`;
    printTable(
      `a public API via the embedded gateway (POST ${gateway.url}) vs the warm function on faas-local directly (${setup})`,
      latencyRows(measured.gateway, measured.direct, connections, { addedMs: 0.5 }),
    );
    printTable(
      `a public API via the embedded gateway vs a blocking run via POST /v1/runs (${setup})`,
      latencyRows(measured.gateway, measured.run, connections),
    );
    printTable(
      `CPU per call at ${connections} connections, gateway vs blocking run (the server process, its function workers and its embedded PostgreSQL)`,
      cpuRows(measured.gateway.loaded.cpu, measured.run.loaded.cpu, '<= 1.3'),
    );
    printTable(
      `CPU per call at ${connections} connections, gateway vs faas-local directly`,
      cpuRows(measured.gateway.loaded.cpu, measured.direct.loaded.cpu),
    );
  } finally {
    await solo.stop();
  }
}
