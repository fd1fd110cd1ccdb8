import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type FaasLocal, startFaasLocal } from '@dispatch/faas-local';
import { createTestDatabase, type TestDatabase } from '@dispatch/testing';

/** The built tree (`node tools/build.mjs`) the e2e suites run. */
export const DIST = resolve(__dirname, '../../dist');

/** What the services of cluster mode stand on besides NATS. */
export interface ClusterBacking {
  /** faas-local, serving the OpenFaaS gateway API behind basic auth: OpenFaaS on Kubernetes cannot run here. */
  faas: FaasLocal;
  /** A database of the suite's own, migrated. */
  db: TestDatabase;
  /** Where faas-local reads images: function-manager builds functions from source there (FUNCTION_IMAGES_DIR). */
  imagesRoot: string;
  /** The variables that point a service at the gateway. */
  openFaasEnv: { OPENFAAS_URL: string; OPENFAAS_USER: string; OPENFAAS_PASSWORD: string };
  stop(): Promise<void>;
}

/**
 * Starts the gateway and creates the database, then migrates it with the migration tool, as the
 * explicit step of cluster mode. `name` tells this suite's images, database and password apart.
 */
export async function startClusterBacking(name: string): Promise<ClusterBacking> {
  const imagesRoot = await mkdtemp(join(tmpdir(), `dispatch-${name}-images-`));
  const password = `${name}-gateway-password`;
  let faas: FaasLocal | undefined;
  let db: TestDatabase | undefined;
  const stop = async () => {
    await db?.drop();
    await faas?.stop();
    await rm(imagesRoot, { recursive: true, force: true });
  };
  try {
    faas = await startFaasLocal({ imagesRoot, basicAuth: { user: 'admin', password } });
    db = await createTestDatabase(`dispatch_${name}`);
    await promisify(execFile)(process.execPath, [resolve(DIST, 'tools/migrations/run.js')], {
      env: { ...process.env, DATABASE_URL: db.url },
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { faas, db, imagesRoot, openFaasEnv: { OPENFAAS_URL: faas.url, OPENFAAS_USER: 'admin', OPENFAAS_PASSWORD: password }, stop };
}
