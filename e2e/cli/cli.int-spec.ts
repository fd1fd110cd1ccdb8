import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, CLI } from './run-cli';
import { createNodeFunction, freePort, soloAdminToken, startSoloServer, waitFor, type SoloServer } from '@dispatch/testing';

describe('dispatch CLI against a solo server', () => {
  let solo: SoloServer;
  let dir: string;
  let env: Record<string, string>;
  const run = (...args: string[]) => cli(env, args);

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);
    solo = await startSoloServer();
    dir = await mkdtemp(join(tmpdir(), 'dispatch-cli-'));
    env = { DISPATCH_CONFIG: join(dir, 'cli', 'config.json'), DISPATCH_HOME: solo.home, HOME: dir };
  }, 180_000);

  afterAll(async () => {
    await solo?.process.stop();
    if (solo) await rm(solo.home, { recursive: true, force: true });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('logs in to the solo server it finds in DISPATCH_HOME, in a config file of mode 0600', async () => {
    const login = await run('login');
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toMatch(/Logged in to http:\/\/127\.0\.0\.1:\d+ as admin \(org \w+\)/);
    expect((await stat(env.DISPATCH_CONFIG)).mode & 0o777).toBe(0o600);
    const listed = await run('context', 'list', '-o', 'json');
    const contexts = JSON.parse(listed.stdout) as { name: string; current: boolean; apiUrl: string; auth: string }[];
    expect(contexts).toEqual([expect.objectContaining({ current: true, apiUrl: solo.api, auth: 'serviceaccount admin' })]);
    // A key never appears in a listing.
    expect(listed.stdout).not.toContain('PRIVATE KEY');
  });

  it('repairs a config file others can read to 0600', async () => {
    await chmod(env.DISPATCH_CONFIG, 0o644);
    const listed = await run('context', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stderr).toContain('changed to 0600');
    expect((await stat(env.DISPATCH_CONFIG)).mode & 0o777).toBe(0o600);
  });

  it('logs in with a key file and with a token from a flag or stdin, and switches contexts', async () => {
    const solo = JSON.parse(await readFile(join(env.DISPATCH_HOME, 'config.json'), 'utf8')) as Record<string, string>;
    const keyFile = join(dir, 'key.json');
    await writeFile(keyFile, JSON.stringify({ org: solo.organization, name: solo.serviceAccount, privateKey: solo.privateKey }));
    const byKey = await run('login', '--key-file', keyFile, '--context', 'by-key');
    expect(byKey.code).toBe(0);
    expect(byKey.stdout).toContain('context "by-key" is current');

    const token = await soloAdminToken(env.DISPATCH_HOME);
    const byToken = await run('login', '--token', token, '--context', 'by-token');
    expect(byToken.code).toBe(0);
    const byStdin = await cli(env, ['login', '--token', '-', '--context', 'by-stdin'], `${token}\n`);
    expect(byStdin.code).toBe(0);

    const table = await run('context', 'list');
    expect(table.stdout).toMatch(/│ \*\s+│ by-stdin/);
    expect((await run('context', 'use', 'by-key')).code).toBe(0);
    const names = JSON.parse((await run('context', 'list', '-o', 'json')).stdout) as { name: string; current: boolean }[];
    expect(names.find((c) => c.current)?.name).toBe('by-key');
    expect(names.map((c) => c.name)).toEqual(expect.arrayContaining(['by-key', 'by-token', 'by-stdin']));
    const unknown = await run('context', 'use', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no context "nope"');
  });

  it('creates, gets and deletes a secret in Dispatch shapes', async () => {
    const file = join(dir, 'secret.json');
    await writeFile(file, JSON.stringify({ username: 'me', password: 's3cret' }));
    const created = await run('create', 'secret', 'cli-db', file);
    expect(created.code).toBe(0);
    expect(created.stdout).toBe('Created secret: cli-db\n');

    const one = JSON.parse((await run('get', 'secret', 'cli-db', '-o', 'json')).stdout) as {
      name: string;
      secrets: Record<string, string>;
    };
    expect(one.name).toBe('cli-db');
    expect(Object.keys(one.secrets).sort()).toEqual(['password', 'username']);
    const list = JSON.parse((await run('get', 'secret', '-o', 'json')).stdout) as { name: string }[];
    expect(Array.isArray(list)).toBe(true);
    expect(list.map((s) => s.name)).toContain('cli-db');
    expect((await run('get', 'secret', '-o', 'name')).stdout.split('\n')).toContain('cli-db');
    expect((await run('get', 'secret', 'cli-db', '-o', 'yaml')).stdout).toMatch(/^name: cli-db$/m);
    const table = await run('get', 'secret');
    expect(table.stdout).toMatch(/NAME[\s│]+STATUS[\s│]+CREATED/);
    expect(table.stdout).toMatch(/│ cli-db\s+│ READY\s+│ \d{4}-/);
    expect(table.stdout).not.toContain('s3cret');

    expect((await run('delete', 'secret', 'cli-db')).stdout).toBe('Deleted secret: cli-db\n');
    const gone = await run('get', 'secret', 'cli-db');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^error: NOT_FOUND: .*cli-db.*\(requestId [\w-]+\)/m);
  });

  it('gets a function as Dispatch did (-o json: .status READY; a list is an array) and deletes it', async () => {
    await createNodeFunction(solo, 'cli-hello', 'module.exports = async () => ({ hello: "world" });');
    const one = JSON.parse((await run('get', 'function', 'cli-hello', '-o', 'json')).stdout) as { name: string; status: string };
    expect(one).toMatchObject({ name: 'cli-hello', status: 'READY' });
    const list = JSON.parse((await run('get', 'function', '-o', 'json')).stdout) as { name: string }[];
    expect(list.map((f) => f.name)).toContain('cli-hello');
    expect((await run('get', 'functions')).stdout).toMatch(/cli-hello\s+│ nodejs\s+│ READY/);
    expect((await run('delete', 'function', 'cli-hello')).code).toBe(0);
    expect((await run('get', 'function', 'cli-hello')).code).toBe(1);
  });

  it("prints the CLI's and the server's version", async () => {
    const version = JSON.parse((await run('version', '-o', 'json')).stdout) as { client: { version: string }; server: { version: string } };
    expect(version.client.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(version.server).toEqual(version.client);
    expect((await run('version')).stdout).toBe(`Client: ${version.client.version}\nServer: ${version.client.version}\n`);
  });

  it('exits 2 with the closest suggestion on a typo', async () => {
    const typo = await run('gett', 'secret');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('(Did you mean get?)');
    const flag = await run('get', 'secret', '--outptu', 'json');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('(Did you mean --output?)');
    const format = await run('get', 'secret', '-o', 'xml');
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('unknown output format "xml"');
  });

  it('says to log in again when the token is refused', async () => {
    const refused = await run('login', '--token', 'not-a-token', '--context', 'bad');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('log in again: dispatch login');
    expect(refused.stderr).toMatch(/^error: \w+: /);
  });

  it('names the server and how to start solo mode when nothing answers', async () => {
    const port = await freePort();
    const down = await run('login', '--server', `http://127.0.0.1:${port}`, '--context', 'down');
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(`the Dispatch server at http://127.0.0.1:${port} does not answer`);
    expect(down.stderr).toContain('npm start');
  });

  it('shares one file with solo mode by default: contexts and solo credentials survive each other', async () => {
    // DISPATCH_CONFIG unset and DISPATCH_HOME = HOME/.dispatch: both are HOME/.dispatch/config.json.
    const shared = join(solo.home, 'config.json');
    const sharedEnv = { DISPATCH_HOME: solo.home, DISPATCH_CONFIG: shared, HOME: dir };
    const login = await cli(sharedEnv, ['login', '--context', 'shared']);
    expect(login.code).toBe(0);
    const file = JSON.parse(await readFile(shared, 'utf8')) as Record<string, unknown>;
    expect(file).toMatchObject({ current: 'shared', organization: expect.any(String), privateKey: expect.stringContaining('PRIVATE KEY') });
    expect((await stat(shared)).mode & 0o777).toBe(0o600);

    await solo.process.stop();
    solo = await startSoloServer({ home: solo.home });
    // The restarted server keeps the CLI's contexts (and its key, so the context still works on its new port with --server).
    // Solo rewrites its credentials (the new port) just after it starts answering.
    const read = async () => JSON.parse(await readFile(shared, 'utf8')) as { contexts?: { name: string }[]; apiUrl: string };
    await waitFor(async () => (await read()).apiUrl === solo.api, { what: 'solo to write its new apiUrl' });
    expect((await read()).contexts?.map((c) => c.name)).toEqual(['shared']);
    const relogin = await cli(sharedEnv, ['login', '--context', 'shared']);
    expect(relogin.code).toBe(0);
    expect((await cli(sharedEnv, ['get', 'secret', '-o', 'json'])).code).toBe(0);
  }, 180_000);
});
