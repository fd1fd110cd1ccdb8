import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startSoloServer, type SoloServer } from '@dispatch/testing';
import type { Provider } from './platform';
import { benchNodeArgs } from './servers';

/** A solo server as the benchmarks drive it: also faas-local's socket and credentials, for the direct calls. */
export interface BenchSolo extends SoloServer {
  faasSocket: string;
  /** faas-local as the direct calls reach it: on its unix socket. */
  faas: Provider;
  /** The Basic credentials faas-local's /system API takes (fixed at start, so we know them). */
  faasAuthorization: string;
  /** Stops the server (SIGTERM, so its PostgreSQL stops too) and removes its data dir. */
  stop(): Promise<void>;
}

/**
 * The built solo server on free ports (GATEWAY_PORT too), its embedded PostgreSQL and in-process
 * bus, started with BENCH_NODE_ARGS.
 */
export async function startBenchSolo(): Promise<BenchSolo> {
  const faasPassword = randomBytes(18).toString('base64url');
  const solo = await startSoloServer({
    // Every run is kept (none pruned by count) so a bench can check each answered run has its record.
    env: { FAAS_LOCAL_PASSWORD: faasPassword, RUN_RETENTION_PER_FUNCTION: '100000000' },
    nodeArgs: benchNodeArgs(),
  });
  // faas-local listens on a unix socket in the data dir; the direct calls go there too.
  const faasSocket = join(solo.home, 'faas-local.sock');
  return {
    ...solo,
    faasSocket,
    faas: { url: 'http://localhost', socketPath: faasSocket },
    faasAuthorization: `Basic ${Buffer.from(`dispatch:${faasPassword}`).toString('base64')}`,
    stop: async () => {
      await solo.process.stop('SIGTERM', 30_000);
      await rm(solo.home, { recursive: true, force: true });
    },
  };
}
