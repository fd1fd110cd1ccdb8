import { resolve } from 'node:path';
import { freePort, startProcess, type Started } from '@dispatch/testing';
import type { Target } from './measure';
import type { Provider } from './platform';

/** A bench/servers script (built beside this directory), by its name. */
export function serverScript(name: string): string {
  return resolve(__dirname, '../servers', `${name}.js`);
}

/** BENCH_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`): profiles a benchmarked server under the load. */
export function benchNodeArgs(): string[] {
  return (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
}

/** A server the bench started in a process of its own, on a loopback TCP port. */
export interface BenchServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts a Node server script (with BENCH_NODE_ARGS) on a free loopback port (PORT), and waits
 * until `readyPath` answers 200.
 */
export async function startBenchServer(script: string, env: Record<string, string>, readyPath = '/healthz'): Promise<BenchServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started: Started = await startProcess([...benchNodeArgs(), script], { ...env, PORT: String(port) }, `${url}${readyPath}`, 60_000);
  return {
    url,
    pid: started.child.pid as number,
    stop: async () => {
      await started.stop('SIGTERM', 30_000);
    },
  };
}

/**
 * The bare `node:http` reverse proxy (bench/servers/bare-proxy) in front of faas-local: the
 * cheapest hop a Node process can add to a call, the floor any service in the call path stands on.
 */
export async function startBareProxy(upstream: Provider): Promise<BenchServer> {
  return startBenchServer(
    serverScript('bare-proxy'),
    upstream.socketPath ? { UPSTREAM_SOCKET: upstream.socketPath } : { UPSTREAM_URL: upstream.url },
  );
}

/** The same call as `direct` (on faas-local), sent through a proxy at `proxyUrl` instead. */
export function throughProxy(direct: Target, proxyUrl: string): Target {
  const { pathname, search } = new URL(direct.url);
  return { url: `${proxyUrl}${pathname}${search}`, body: direct.body, headers: direct.headers };
}
