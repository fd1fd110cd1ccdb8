import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createTestDatabase, deleteNamespaceStreams, TEST_ADMIN_DATABASE_URL, TEST_NATS_URL, testNamespace } from '@dispatch/testing';
import { startBenchIssuer } from './issuer';
import type { Platform, Provider } from './platform';
import { pidSetCpu } from './process-cpu';
import { type BenchServer, serverScript, startBenchServer } from './servers';

/** The built tree the benchmarks run from (dist/bench is this directory's parent). */
const DIST = resolve(__dirname, '../..');

/** The cluster layout as the benchmarks drive it: each service, and faas-local, a process of its own. */
export interface BenchCluster {
  /** function-manager, and a platform admin's token for it. */
  platform: Platform;
  /** faas-local, over TCP with basic auth on /system, as cluster mode's OpenFaaS. */
  faas: Provider;
  /** The processes, by name: `function-manager`, `identity-manager`, `faas-local` (its function workers are its children). */
  pids: Record<'function-manager' | 'identity-manager' | 'faas-local', number>;
  /**
   * CPU so far (ms) of the PostgreSQL backends serving the bench's database. They are children of
   * the machine's postmaster, not of any process started here, so they are found in pg_stat_activity.
   */
  postgresCpuMs(): Promise<number>;
  /** Stops every process, drops the database, deletes the namespace's NATS streams. */
  stop(): Promise<void>;
}

/**
 * identity-manager and function-manager as cluster mode runs them (dist/apps/<service>), on the
 * machine's PostgreSQL (a database of their own, migrated by the migration tool) and NATS (a
 * namespace of their own), trusting the bench's issuer, whose `root` is a platform admin; faas-local, the
 * provider, in its own process too. Whatever fails part-way is undone.
 */
export async function startBenchCluster(): Promise<BenchCluster> {
  const undo: (() => Promise<unknown>)[] = [];
  // Every step undone even when one fails, the first failure told.
  const stop = async () => {
    const failures: unknown[] = [];
    for (const step of undo.reverse()) await step().catch((err: unknown) => failures.push(err));
    if (failures.length) throw failures[0];
  };
  try {
    const db = await createTestDatabase('dispatch_bench');
    undo.push(() => db.drop());
    await promisify(execFile)(process.execPath, [join(DIST, 'tools/migrations/run.js')], {
      env: { ...process.env, DATABASE_URL: db.url },
    });
    const imagesRoot = await mkdtemp(join(tmpdir(), 'dispatch-bench-images-'));
    undo.push(() => rm(imagesRoot, { recursive: true, force: true }));
    const faasPassword = randomBytes(18).toString('base64url');
    const faas = await startBenchServer(serverScript('faas-local'), { IMAGES_DIR: imagesRoot, FAAS_PASSWORD: faasPassword });
    undo.push(() => faas.stop());
    const idp = await startBenchIssuer();
    undo.push(() => idp.stop());
    const namespace = testNamespace('bench');
    undo.push(() => deleteNamespaceStreams(TEST_NATS_URL, namespace));

    const env = {
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      NATS_URL: TEST_NATS_URL,
      NATS_NAMESPACE: namespace,
      DISPATCH_SECRET_KEY: randomBytes(32).toString('base64'),
      DISPATCH_TRUSTED_ISSUERS: JSON.stringify([idp.trusted]),
      DISPATCH_ADMINS: 'user:root',
      LOG_LEVEL: 'warn',
    };
    const service = async (name: string, own: Record<string, string> = {}): Promise<BenchServer> => {
      const started = await startBenchServer(join(DIST, `apps/${name}/src/main.js`), { ...env, ...own }, '/readyz');
      undo.push(() => started.stop());
      return started;
    };
    const identity = await service('identity-manager');
    const functions = await service('function-manager', {
      OPENFAAS_URL: faas.url,
      OPENFAAS_USER: 'admin',
      OPENFAAS_PASSWORD: faasPassword,
      FUNCTION_IMAGES_DIR: imagesRoot,
    });

    const pg = new Client({ connectionString: TEST_ADMIN_DATABASE_URL });
    await pg.connect();
    undo.push(() => pg.end());
    const backends = pidSetCpu(async () => {
      const { rows } = await pg.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [db.name]);
      return rows.map((r) => r.pid);
    });
    // Long enough for any BENCH_SECONDS: the load reuses the one token.
    const token = await idp.issueToken('root', 'default', 4 * 3600);
    return {
      platform: { api: functions.url, admin: { authorization: `Bearer ${token}` } },
      faas: { url: faas.url },
      pids: { 'function-manager': functions.pid, 'identity-manager': identity.pid, 'faas-local': faas.pid },
      postgresCpuMs: backends,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
