import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, runToExit, soloAdminToken, startProcess, waitFor, type Started } from '@dispatch/testing';

const SOLO = resolve(__dirname, '../../dist/apps/dispatch/src/main.js');

/** PIDs of postgres processes serving `dataDir`, read from the process table. */
function postgresPidsFor(dataDir: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', `postgres -D ${dataDir}`])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe('solo mode (the built server, as `npm start` runs it)', () => {
  let home: string;
  let server: Started;
  let api: string;
  let gateway: string;

  beforeAll(async () => {
    if (!existsSync(SOLO)) throw new Error(`${SOLO} is missing: run \`npm run build\` (npm test does it first)`);
    home = await mkdtemp(join(tmpdir(), 'dispatch-solo-'));
    const [port, gatewayPort] = [await freePort(), await freePort()];
    api = `http://127.0.0.1:${port}`;
    gateway = `http://127.0.0.1:${gatewayPort}`;
    server = await startProcess(
      [SOLO],
      { PORT: String(port), GATEWAY_PORT: String(gatewayPort), DISPATCH_HOME: home, DATABASE_URL: '', NATS_URL: '' },
      `${api}/readyz`,
      { timeoutMs: 120_000, detached: true },
    );
  }, 130_000);

  afterAll(async () => {
    // SIGTERM, not SIGKILL: a killed server would leave its PostgreSQL running.
    await server?.stop('SIGTERM', 20_000);
    await rm(home, { recursive: true, force: true });
  });

  it('prints where it serves and where its data lives', async () => {
    // The banner follows the last start-up step, shortly after /readyz first answers.
    await waitFor(() => server.output().includes('Press Ctrl-C to stop.'), { what: 'the start-up banner' });
    expect(server.output()).toContain(`API      ${api}/v1`);
    expect(server.output()).toContain(`CLI      ${join(home, 'config.json')}`);
    expect(server.output()).toContain(`Data     ${home}`);
    expect(server.output()).toMatch(/embedded PostgreSQL on 127\.0\.0\.1:\d+/);
  });

  it('answers /healthz, /readyz with the store and the bus, /metrics and /docs', async () => {
    expect((await fetch(`${api}/healthz`)).status).toBe(200);
    const ready = (await (await fetch(`${api}/readyz`)).json()) as { ready: boolean; checks: Record<string, string> };
    expect(ready.ready).toBe(true);
    expect(Object.keys(ready.checks)).toEqual(expect.arrayContaining(['bus', 'store:identity', 'store:functions', 'store:catalog']));
    const metrics = await (await fetch(`${api}/metrics`)).text();
    expect(metrics).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/readyz"/);
    const docs = await fetch(`${api}/docs`);
    expect(docs.status).toBe(200);
    const doc = (await (await fetch(`${api}/docs-json`)).json()) as {
      info: { title: string };
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    expect(doc.info.title).toBe('Dispatch');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/iam/roles', '/v1/iam/policies/{name}', '/v1/secret', '/v1/iam/audit']),
    );
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answers unknown routes and bad bodies with the error shape, never 500', async () => {
    const unknown = await fetch(`${api}/v1/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
    const bad = await fetch(`${api}/v1/nothing-here`, { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'INVALID_JSON' });
  });

  it('writes CLI credentials (0600) of a bootstrap admin whose signed tokens the API accepts', async () => {
    const path = join(home, 'config.json');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const cli = JSON.parse(await readFile(path, 'utf8')) as { apiUrl: string; organization: string; serviceAccount: string };
    expect(cli).toMatchObject({ apiUrl: api, organization: 'default', serviceAccount: 'admin' });
    const token = await soloAdminToken(home, '5m');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${api}/v1/iam/organizations`, { method: 'POST', headers, body: JSON.stringify({ name: 'acme' }) });
    expect(created.status).toBe(201);
    const list = (await (await fetch(`${api}/v1/iam/organizations`, { headers })).json()) as { items: { name: string }[] };
    expect(list.items.map((o) => o.name)).toEqual(['acme', 'default']);
    expect((await fetch(`${api}/v1/iam/organizations`)).status).toBe(401);
  });

  it('serves the embedded gateway on GATEWAY_PORT, answering as Kong does where no route matches', async () => {
    const res = await fetch(`${gateway}/anything`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ message: 'no Route matched with those values' });
  });

  it('stops cleanly on Ctrl-C (SIGINT to the whole process group) and leaves no PostgreSQL behind', async () => {
    const dataDir = join(home, 'postgres');
    expect(postgresPidsFor(dataDir).length).toBeGreaterThan(0);
    const code = await server.stop();
    expect(code).toBe(0);
    expect(postgresPidsFor(dataDir)).toEqual([]);
  });

  it('starts again on the same data dir', async () => {
    const port = await freePort();
    const again = await startProcess(
      [SOLO],
      { PORT: String(port), GATEWAY_PORT: '0', DISPATCH_HOME: home, DATABASE_URL: '', NATS_URL: '' },
      `http://127.0.0.1:${port}/readyz`,
      60_000,
    );
    expect(await again.stop('SIGTERM')).toBe(0);
    expect(postgresPidsFor(join(home, 'postgres'))).toEqual([]);
  }, 70_000);

  it('stops what it started when SIGTERM arrives during start-up', async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'dispatch-solo-'));
    const dataDir = join(fresh, 'postgres');
    const child = spawn(process.execPath, [SOLO], {
      env: { ...process.env, PORT: '0', GATEWAY_PORT: '0', DISPATCH_HOME: fresh, DATABASE_URL: '', NATS_URL: '' },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.once('exit', r));
    try {
      await waitFor(() => postgresPidsFor(dataDir).length > 0, { timeoutMs: 60_000, what: 'embedded PostgreSQL to start' });
      child.kill('SIGTERM');
      await exited;
      await waitFor(() => postgresPidsFor(dataDir).length === 0, { timeoutMs: 15_000, what: 'PostgreSQL to stop' });
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await rm(fresh, { recursive: true, force: true });
    }
  }, 90_000);

  it('refuses a bad configuration with exit 1 and the list of problems', async () => {
    const { code, stderr } = await runToExit([SOLO], { ...process.env, PORT: 'eighty', LOG_LEVEL: 'loud', DISPATCH_HOME: home });
    expect(code).toBe(1);
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('LOG_LEVEL');
  });
});
