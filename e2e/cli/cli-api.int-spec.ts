import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describeProblems, kongDeclarativeProblems } from '@dispatch/kong-client/contract-checks';
import { createNodeFunction, startSoloServer, type SoloServer } from '@dispatch/testing';
import { cli, CLI } from './run-cli';

interface Api {
  name: string;
  function: string;
  methods: string[];
  servedPaths: string[];
  protocols: string[];
  authentication: string;
  status: string;
  reason: string[];
}

describe('dispatch create|get|update|delete api against a solo server', () => {
  let solo: SoloServer;
  let dir: string;
  let env: Record<string, string>;
  let org: string;
  const run = (...args: string[]) => cli(env, args);

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);
    solo = await startSoloServer();
    dir = await mkdtemp(join(tmpdir(), 'dispatch-cli-api-'));
    env = { DISPATCH_CONFIG: join(dir, 'cli', 'config.json'), DISPATCH_HOME: solo.home, HOME: dir };
    const login = await run('login');
    org = /\(org (\S+)\)/.exec(login.stdout)![1];
    await createNodeFunction(solo, 'api-fn', 'module.exports = async () => ({ ok: true });');
  }, 180_000);

  afterAll(async () => {
    await solo?.process.stop();
    if (solo) await rm(solo.home, { recursive: true, force: true });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("creates an API in Dispatch's shape, lists it, replaces it and deletes it", async () => {
    const created = await run(
      'create',
      'api',
      'hello-api',
      'api-fn',
      '-m',
      'POST',
      '-p',
      '/hello',
      '--auth',
      'public',
      '--https-only',
      '-o',
      'json',
    );
    // Progress goes to stderr while the gateway takes it; stdout is the API alone.
    expect(created.stderr).toMatch(/^(api hello-api: \w+\n)*$/);
    const api = JSON.parse(created.stdout) as Api;
    expect(api).toMatchObject({
      name: 'hello-api',
      function: 'api-fn',
      methods: ['POST'],
      servedPaths: [`/${org}/hello`],
      protocols: ['https'],
      authentication: 'public',
    });
    // The CLI waits until the embedded gateway serves it.
    expect(api.status).toBe('READY');

    // In a table, the line says so; --no-wait answers as the server accepted it.
    expect((await run('update', 'api', 'hello-api', 'api-fn', '-m', 'POST', '-p', '/hello', '--https-only')).stdout).toBe(
      'Updated api: hello-api (READY)\n',
    );
    expect((await run('update', 'api', 'hello-api', 'api-fn', '-m', 'POST', '-p', '/hello', '--https-only', '--no-wait')).stdout).toBe(
      'Updated api: hello-api (UPDATING)\n',
    );
    const listed = JSON.parse((await run('get', 'api', '-o', 'json')).stdout) as Api[];
    expect(listed.map((a) => a.name)).toEqual(['hello-api']);
    expect((await run('get', 'apis')).stdout).toMatch(/hello-api\s+│ api-fn\s+│ POST\s+│ \/\S+\/hello\s+│ public/);

    const updated = JSON.parse(
      (await run('update', 'api', 'hello-api', 'api-fn', '-p', '/hi', '--auth', 'api-key', '-o', 'json')).stdout,
    ) as Api;
    expect(updated).toMatchObject({ servedPaths: [`/${org}/hi`], authentication: 'api-key', methods: ['GET', 'POST'] });

    expect((await run('delete', 'api', 'hello-api')).stdout).toBe('Deleted api: hello-api\n');
    const gone = await run('get', 'api', 'hello-api');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('NOT_FOUND');
  });

  it('refuses a taken path, an unknown function and a bad flag, naming what to fix', async () => {
    expect((await run('create', 'api', 'first', 'api-fn', '-p', '/taken')).code).toBe(0);
    const taken = await run('create', 'api', 'second', 'api-fn', '-p', '/taken');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/^error: ROUTE_CONFLICT: /);
    const unknown = await run('create', 'api', 'third', 'no-such-fn', '-p', '/other');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: NOT_FOUND: .*no-such-fn/);
    const auth = await run('create', 'api', 'fourth', 'api-fn', '-p', '/x', '--auth', 'basic');
    expect(auth.code).toBe(2);
    expect(auth.stderr).toContain('--auth basic: use one of public, idp-token, api-key');
    const noPath = await run('create', 'api', 'fifth', 'api-fn');
    expect(noPath.code).toBe(2);
    expect(noPath.stderr).toContain('-p/--path');
    expect(JSON.parse((await run('get', 'api', '-o', 'json')).stdout)).toEqual([expect.objectContaining({ name: 'first' })]);
  });

  it('prints the APIs as a kong.yml with -o kong, which a shell redirect writes and decK reads', async () => {
    const printed = await run('get', 'api', '--output', 'kong');
    expect(printed).toMatchObject({ code: 0, stderr: '' });
    expect(printed.stdout).toMatch(/^_format_version: "3\.0"\n_info:\n  select_tags:\n    - dispatch\n    - org:default\nservices:\n/);
    const config = parse(printed.stdout) as { services: { name: string; routes: { paths: string[] }[]; tags: string[] }[] };
    expect(config.services.map((s) => s.name)).toEqual([`${org}.first`]);
    expect(config.services[0].routes[0].paths).toEqual([`/${org}/taken`]);
    expect(config.services[0].tags).toEqual(['dispatch', `org:${org}`, 'api:first']);
    expect(describeProblems(kongDeclarativeProblems(config))).toEqual([]);
    expect(printed.stdout).toContain('${{ env "DECK_GATEWAY_SHARED_SECRET" }}');

    const file = join(dir, 'kong.yml');
    const redirected = await new Promise<number | null>((resolve) => {
      const child = spawn('sh', ['-c', `"${process.execPath}" "${CLI}" get api -o kong > "${file}"`], {
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: 'ignore',
      });
      child.once('close', resolve);
    });
    expect(redirected).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(printed.stdout);
    // decK's offline check of the file (its own schema, and that entities are well formed).
    const validated = await new Promise<{ code: number | null; out: string }>((resolve) => {
      execFile(
        'deck',
        ['validate', '--state', file, '--no-color'],
        { env: { ...process.env, DECK_ANALYTICS: 'off' } },
        (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
      );
    });
    expect(validated).toEqual({ code: 0, out: '' });

    const named = await run('get', 'api', 'first', '-o', 'kong');
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('-o kong prints every API of the org as one kong.yml');
    const watched = await run('get', 'api', '-o', 'kong', '--watch');
    expect(watched.code).toBe(2);
    expect(watched.stderr).toContain('-o kong prints once: leave out --watch');
    expect((await run('get', 'api', '--help')).stdout).toContain('table, json, yaml, name or kong');
  });
});
