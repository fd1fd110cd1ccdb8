import { benchAuth } from './auth';
import { benchBacklog } from './backlog';
import { benchClusterInvoke } from './cluster-invoke';
import { benchGateway } from './gateway';
import { benchHealthz } from './healthz';
import { benchInvoke } from './invoke';

/**
 * `npm run bench [-- <name>]`. Loopback only, each run bounded by BENCH_SECONDS (default 10).
 * Prints figures beside a baseline measured in the same run; it asserts nothing.
 */
const benchmarks: Record<string, (seconds: number, connections: number) => Promise<void>> = {
  healthz: benchHealthz,
  auth: benchAuth,
  invoke: benchInvoke,
  'cluster-invoke': benchClusterInvoke,
  gateway: benchGateway,
  backlog: benchBacklog,
};

async function main(): Promise<void> {
  const seconds = Number(process.env['BENCH_SECONDS'] ?? 10);
  const connections = Number(process.env['BENCH_CONNECTIONS'] ?? 50);
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !benchmarks[w]);
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`);
  for (const name of wanted.length ? wanted : Object.keys(benchmarks)) await benchmarks[name](seconds, connections);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
