import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sourceArchive, startSoloServer, type SoloServer } from '@dispatch/testing';
import type { Target } from './measure';

/** The benchmarked function: it echoes, so the figures are the platform's, not the function's. */
export const ECHO_SOURCE = `module.exports = (context, payload) => ({ echo: payload });\n`;
/** What each benchmarked call sends the echo function. */
export const PAYLOAD = { n: 1 };

/** A solo server as the benchmarks drive it: also faas-local's socket and credentials, for the direct calls. */
export interface BenchSolo extends SoloServer {
  faasSocket: string;
  /** The Basic credentials faas-local's /system API takes (fixed at start, so we know them). */
  faasAuthorization: string;
  /** Stops the server (SIGTERM, so its PostgreSQL stops too) and removes its data dir. */
  stop(): Promise<void>;
}

/**
 * The built solo server on free ports (GATEWAY_PORT too), its embedded PostgreSQL and in-process
 * bus. BENCH_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles the server under the load.
 */
export async function startBenchSolo(): Promise<BenchSolo> {
  const faasPassword = randomBytes(18).toString('base64url');
  const solo = await startSoloServer({
    env: { FAAS_LOCAL_PASSWORD: faasPassword },
    nodeArgs: (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean),
  });
  return {
    ...solo,
    // faas-local listens on a unix socket in the data dir; the direct calls go there too.
    faasSocket: join(solo.home, 'faas-local.sock'),
    faasAuthorization: `Basic ${Buffer.from(`dispatch:${faasPassword}`).toString('base64')}`,
    stop: async () => {
      await solo.process.stop('SIGTERM', 30_000);
      await rm(solo.home, { recursive: true, force: true });
    },
  };
}

/** Creates a resource as the admin (`POST /v1/<kind>`), waits until it is READY and answers it as then read. */
export async function createReady(
  solo: SoloServer,
  kind: 'function' | 'api',
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const created = await fetch(`${solo.api}/v1/${kind}`, {
    method: 'POST',
    headers: { ...solo.admin, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (created.status !== 201) throw new Error(`creating ${kind} ${body['name']} answered ${created.status}: ${await created.text()}`);
  return untilReady(solo, `/v1/${kind}/${body['name']}`);
}

/** The echo function, READY with a fixed number of warm replicas, and two ways to call it: on faas-local directly, and a blocking run. */
export async function echoFunction(solo: BenchSolo, name: string, replicas: number): Promise<{ direct: Target; run: Target }> {
  const source = await sourceArchive({ 'index.js': ECHO_SOURCE });
  await createReady(solo, 'function', {
    name,
    runtime: 'nodejs',
    handler: 'index.js',
    source,
    minReplicas: replicas,
    maxReplicas: replicas,
  });
  const versions = (await (await fetch(`${solo.api}/v1/function/${name}/versions`, { headers: solo.admin })).json()) as {
    items: { providerName: string }[];
  };
  const json = { 'content-type': 'application/json' };
  return {
    // What the OpenFaaS client sends faas-local for the same run: the payload in Dispatch's envelope.
    direct: {
      url: `http://localhost/function/${versions.items[0].providerName}`,
      body: JSON.stringify({ context: {}, payload: PAYLOAD }),
      headers: json,
      socketPath: solo.faasSocket,
    },
    run: {
      url: `${solo.api}/v1/runs?functionName=${name}`,
      body: JSON.stringify({ input: PAYLOAD, blocking: true }),
      headers: { ...json, ...solo.admin },
    },
  };
}

async function untilReady(solo: SoloServer, path: string): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  for (;;) {
    const entity = (await (await fetch(`${solo.api}${path}`, { headers: solo.admin })).json()) as {
      status: string;
      reason: string[];
    };
    if (entity.status === 'READY') return entity;
    if (entity.status === 'ERROR') throw new Error(`${path} failed: ${entity.reason.join('; ')}`);
    if (performance.now() - t0 > 60_000) throw new Error(`${path} not READY within 60 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
