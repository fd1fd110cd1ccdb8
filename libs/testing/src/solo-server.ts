import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { create as createTar } from 'tar';
import { freePort, startProcess, type Started } from './process';
import { soloAdminToken } from './solo-admin';
import { waitFor } from './wait-for';

/** The built solo server, as `npm start` runs it (`npm run build` makes it; `npm test` builds first). */
export const SOLO_MAIN = soloMain();

function soloMain(): string {
  // From the sources (jest) the build is in <repo>/dist; from the build itself (bench) it is beside this lib.
  const root = resolve(__dirname, '../../..');
  return basename(root) === 'dist' ? join(root, 'apps/dispatch/src/main.js') : join(root, 'dist/apps/dispatch/src/main.js');
}

export interface SoloServer {
  api: string;
  /** The embedded API gateway's proxy. */
  gateway: string;
  home: string;
  process: Started;
  /** Headers of the bootstrap platform admin (service account default/admin), as the CLI signs them. */
  admin: Record<string, string>;
}

export interface SoloOptions {
  /** An existing DISPATCH_HOME to start on again; a fresh temp dir when absent. */
  home?: string;
  env?: NodeJS.ProcessEnv;
  /** Node's own options before the script (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  timeoutMs?: number;
}

/**
 * Starts the built solo server on free ports with its embedded PostgreSQL and in-process bus,
 * waits for /readyz and the CLI credentials it writes, and signs the admin's token with them.
 */
export async function startSoloServer(options: SoloOptions = {}): Promise<SoloServer> {
  if (!existsSync(SOLO_MAIN)) throw new Error(`${SOLO_MAIN} is missing: run \`npm run build\` (npm test does it first)`);
  const home = options.home ?? (await mkdtemp(join(tmpdir(), 'dispatch-solo-')));
  const [port, gatewayPort] = [await freePort(), await freePort()];
  const api = `http://127.0.0.1:${port}`;
  const env = {
    PORT: String(port),
    GATEWAY_PORT: String(gatewayPort),
    DISPATCH_HOME: home,
    DATABASE_URL: '',
    NATS_URL: '',
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const started = await startProcess([...(options.nodeArgs ?? []), SOLO_MAIN], env, `${api}/readyz`, {
    timeoutMs: options.timeoutMs ?? 120_000,
    detached: true,
  });
  const gateway = `http://127.0.0.1:${env.GATEWAY_PORT}`;
  return { api, gateway, home, process: started, admin: { authorization: `Bearer ${await soloAdminToken(home)}` } };
}

/** Function source files as the base64 tar.gz a JSON create (`source`) takes. */
export async function sourceArchive(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dispatch-src-'));
  try {
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
    const chunks: Buffer[] = [];
    for await (const chunk of createTar({ gzip: true, cwd: dir, portable: true }, Object.keys(files))) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('base64');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Creates a Node.js function from one `index.js` on the server as its admin, and waits until it is READY. */
export async function createNodeFunction(s: SoloServer, name: string, source: string, spec: Record<string, unknown> = {}): Promise<void> {
  const body = JSON.stringify({
    name,
    runtime: 'nodejs',
    handler: 'index.js',
    source: await sourceArchive({ 'index.js': source }),
    ...spec,
  });
  const created = await fetch(`${s.api}/v1/function`, {
    method: 'POST',
    headers: { ...s.admin, 'content-type': 'application/json' },
    body,
  });
  if (created.status !== 201) throw new Error(`creating function ${name} answered ${created.status}: ${await created.text()}`);
  await waitFor(
    async () => {
      const { status } = (await (await fetch(`${s.api}/v1/function/${name}`, { headers: s.admin })).json()) as { status: string };
      if (status === 'ERROR') throw new Error(`function ${name} failed to deploy`);
      return status === 'READY';
    },
    { timeoutMs: 60_000, what: `function ${name} to be READY` },
  );
}
