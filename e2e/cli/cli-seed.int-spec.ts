import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cli, CLI } from './run-cli';
import { startSoloServer, type SoloServer } from '@dispatch/testing';

const FIXTURES = resolve(__dirname, '../fixtures/functions');

/** Dispatch's seed format: the secret last, though the first function names it. */
const DISPATCH_SEED = `
kind: Function
name: seed-node
sourcePath: node-hello
image: nodejs
handler: index.js
schema:
  in:
    type: object
    properties:
      name: { type: string, pattern: "^[A-Za-z]+$" }
    required: [name]
  out:
    type: object
    required: [greeting]
secrets: [seed-db]
tags:
  - key: role
    value: test
---
kind: Function
name: seed-py
sourcePath: hello.py
image: python3
schema:
  in: { type: object }
  out: { type: object, required: [greeting] }
---
kind: Secret
name: seed-db
secrets:
  password: OpenSesame
---
`;

interface Fn {
  name: string;
  status: string;
  runtime: string;
  activeVersion: number;
  inputSchema: unknown;
  outputSchema: unknown;
  secrets: string[];
  tags: { key: string; value: string }[];
  reason?: string[];
}

describe('dispatch create -f and delete -f against a solo server', () => {
  let solo: SoloServer;
  let dir: string;
  let seedDir: string;
  let env: Record<string, string>;
  const run = (...args: string[]) => cli(env, args, undefined, 120_000);
  const getFunction = async (name: string) => {
    const r = await run('get', 'function', name, '-o', 'json');
    return r.code === 0 ? (JSON.parse(r.stdout) as Fn) : undefined;
  };
  /** A run through the API (`dispatch exec` is not the subject here): what the function answered. */
  const invoke = async (name: string, input: unknown) => {
    const res = await fetch(`${solo.api}/v1/function/${name}/runs`, {
      method: 'POST',
      headers: { ...solo.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ input, blocking: true }),
    });
    return (await res.json()) as { status: string; output?: Record<string, unknown>; error?: { type: string; message: string } };
  };

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);
    solo = await startSoloServer();
    dir = await mkdtemp(join(tmpdir(), 'dispatch-cli-seed-'));
    env = { DISPATCH_CONFIG: join(dir, 'cli', 'config.json'), DISPATCH_HOME: solo.home, HOME: dir };
    // The seed file sits beside its sources, which it names by relative paths.
    seedDir = join(dir, 'seed');
    await mkdir(seedDir);
    await cp(join(FIXTURES, 'node-hello'), join(seedDir, 'node-hello'), { recursive: true });
    await cp(join(FIXTURES, 'python-hello', 'hello.py'), join(seedDir, 'hello.py'));
    await writeFile(join(seedDir, 'seed.yaml'), DISPATCH_SEED);
    expect((await run('login')).code).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await solo?.process.stop();
    if (solo) await rm(solo.home, { recursive: true, force: true });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("applies Dispatch's seed file: the secret first, then a Node.js and a Python function, both READY", async () => {
    const created = await run('create', '-f', join(seedDir, 'seed.yaml'));
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const lines = created.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Created secret: seed-db');
    expect(lines.slice(1).sort()).toEqual(['Created function: seed-node (READY)', 'Created function: seed-py (READY)']);

    const node = await getFunction('seed-node');
    expect(node).toMatchObject({
      status: 'READY',
      runtime: 'nodejs',
      secrets: ['seed-db'],
      inputSchema: expect.objectContaining({ required: ['name'] }),
      outputSchema: expect.objectContaining({ required: ['greeting'] }),
      tags: [{ key: 'role', value: 'test' }],
    });
    expect(await getFunction('seed-py')).toMatchObject({ status: 'READY', runtime: 'python3' });
    // The secret reaches the function, and the input schema guards it.
    expect(await invoke('seed-node', { name: 'Jon' })).toMatchObject({
      status: 'SUCCEEDED',
      output: { greeting: 'Hello, Jon', secretKeys: ['password'] },
    });
    expect(await invoke('seed-node', { name: 'Jon 3' })).toMatchObject({ status: 'FAILED', error: { type: 'InputError' } });
    expect(await invoke('seed-py', { name: 'Ada' })).toMatchObject({ status: 'SUCCEEDED', output: { greeting: 'Hello, Ada' } });
  }, 120_000);

  it('updates what exists when applied again, and prints what it applied with -o json (progress on stderr)', async () => {
    const before = (await getFunction('seed-node'))!.activeVersion;
    const again = await run('create', '-f', join(seedDir, 'seed.yaml'), '-o', 'json');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Updated secret: seed-db');
    expect(again.stderr).toContain('Updated function: seed-node (READY)');
    expect(again.stderr).toContain('Updated function: seed-py (READY)');
    const applied = JSON.parse(again.stdout) as { secrets: { name: string }[]; functions: Fn[] };
    expect(applied.secrets.map((s) => s.name)).toEqual(['seed-db']);
    expect(applied.functions.map((f) => [f.name, f.status])).toEqual([
      ['seed-node', 'READY'],
      ['seed-py', 'READY'],
    ]);
    expect((await getFunction('seed-node'))!.activeVersion).toBe(before + 1);
  }, 120_000);

  it('refuses a seed file with a kind not supported yet before anything is applied, naming the file, the document and the kind', async () => {
    const file = join(seedDir, 'with-api.yaml');
    await writeFile(
      file,
      'kind: Secret\nname: seed-other\nsecrets: {a: b}\n---\nkind: Function\nname: seed-other-fn\nsourcePath: hello.py\nimage: python3\n' +
        '---\nkind: Subscription\nname: ticker-sub\neventType: ticker.tick\nfunction: seed-other-fn\n',
    );
    const refused = await run('create', '-f', file);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('nothing was applied');
    expect(refused.stderr).toContain(`${file} document 3 (Subscription ticker-sub): kind: Subscription is not supported yet`);
    expect((await run('get', 'secret', 'seed-other')).code).toBe(1);
    expect((await run('get', 'function', 'seed-other-fn')).code).toBe(1);
  });

  it('names a function that ends in ERROR, with its reason, and exits 1', async () => {
    await writeFile(join(seedDir, 'broken.py'), 'def handle(context, payload:\n    return {}\n');
    const file = join(seedDir, 'broken.yaml');
    await writeFile(file, 'kind: Function\nname: seed-broken\nsourcePath: broken.py\nimage: python3\n');
    const failed = await run('create', '-f', file);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^Created function: seed-broken \(ERROR: .+\)$/m);
    expect(failed.stderr).toMatch(/a function did not deploy:\n {2}function seed-broken: .*syntax error/);
    expect((await run('delete', '-f', file)).code).toBe(0);
  }, 120_000);

  it('fails an update whose new version does not serve, though the old one keeps the function READY', async () => {
    await writeFile(join(seedDir, 'flaky.py'), 'def handle(context, payload):\n    return {"v": 1}\n');
    const file = join(seedDir, 'flaky.yaml');
    await writeFile(file, 'kind: Function\nname: seed-flaky\nsourcePath: flaky.py\nimage: python3\n');
    expect((await run('create', '-f', file)).code).toBe(0);
    await writeFile(join(seedDir, 'flaky.py'), 'def handle(context, payload:\n    return {}\n');
    const failed = await run('create', '-f', file);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^Updated function: seed-flaky \(FAILED: the new version does not serve \(version 1 still does\)/m);
    expect(failed.stderr).toMatch(/a function did not deploy:\n {2}function seed-flaky: /);
    expect((await getFunction('seed-flaky'))?.status).toBe('READY');
    expect((await run('delete', '-f', file)).code).toBe(0);
  }, 120_000);

  it('names the document of a resource the server refuses, and stops there', async () => {
    const file = join(seedDir, 'refused.yaml');
    await writeFile(
      file,
      'kind: Secret\nname: seed-kept\nsecrets: {a: b}\n---\nkind: Function\nname: seed-nohandler\nsourcePath: node-hello\nimage: nodejs\nhandler: missing.js\n',
    );
    const refused = await run('create', '-f', file);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('Created secret: seed-kept\n');
    expect(refused.stderr).toMatch(
      new RegExp(`^error: ${file} document 2 \\(Function seed-nohandler\\): HANDLER_NOT_FOUND: .*\\(requestId [\\w-]+\\)`, 'm'),
    );
    expect((await run('delete', '-f', file)).stdout).toBe('Skipped function: seed-nohandler (not found)\nDeleted secret: seed-kept\n');
  });

  it("applies and deletes this platform's format from stdin", async () => {
    const seed = [
      'apiVersion: dispatch/v1\nkind: Secret\nname: seed-stdin\nspec:\n  secrets: {token: abc}',
      `apiVersion: dispatch/v1\nkind: Function\nname: seed-stdin-fn\nspec:\n  runtime: python3\n  sourcePath: ${join(FIXTURES, 'python-hello')}\n  handler: hello.handle\n  secrets: [seed-stdin]\n  env: {MODE: test}`,
    ].join('\n---\n');
    const created = await cli(env, ['create', '-f', '-'], seed, 120_000);
    expect(created.code).toBe(0);
    expect(created.stdout).toBe('Created secret: seed-stdin\nCreated function: seed-stdin-fn (READY)\n');
    expect(await getFunction('seed-stdin-fn')).toMatchObject({ secrets: ['seed-stdin'] });
    const deleted = await cli(env, ['delete', '-f', '-', '-o', 'name'], seed, 120_000);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toBe('seed-stdin\nseed-stdin-fn\n');
    expect(deleted.stderr).toBe('Deleted function: seed-stdin-fn\nDeleted secret: seed-stdin\n');
  }, 120_000);

  it("applies Dispatch's kind: API after the function it names, serves it through the gateway, and deletes it first", async () => {
    const file = join(seedDir, 'api.yaml');
    // The API comes first in the file, though it names the function after it.
    await writeFile(
      file,
      [
        'kind: API\nname: seed-api\nfunction: seed-api-fn\nuris: [/seed-hello]\nmethods: [get, POST]\nprotocols: [http]\n' +
          'authentication: public\nenabled: true\ncors: true\ntags:\n  - key: role\n    value: test',
        'kind: Function\nname: seed-api-fn\nsourcePath: hello.py\nimage: python3',
      ].join('\n---\n'),
    );
    const created = await run('create', '-f', file);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toBe('Created function: seed-api-fn (READY)\nCreated api: seed-api (READY)\n');
    const api = JSON.parse((await run('get', 'api', 'seed-api', '-o', 'json')).stdout) as Record<string, unknown>;
    expect(api).toMatchObject({
      function: 'seed-api-fn',
      paths: ['/seed-hello'],
      servedPaths: ['/default/seed-hello'],
      methods: ['GET', 'POST'],
      protocols: ['http'],
      authentication: 'public',
      cors: expect.objectContaining({ origins: ['*'] }),
      enabled: true,
      tags: [{ key: 'role', value: 'test' }],
    });
    const served = await fetch(`${solo.gateway}/default/seed-hello`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Gateway' }),
    });
    expect(served.status).toBe(200);
    expect(await served.json()).toMatchObject({ greeting: 'Hello, Gateway' });

    // Applied again, the API is replaced, not refused as taken.
    const again = await run('create', '-f', file, '-o', 'json');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Updated api: seed-api (READY)');
    expect((JSON.parse(again.stdout) as { apis: { name: string }[] }).apis.map((a) => a.name)).toEqual(['seed-api']);

    const deleted = await run('delete', '-f', file);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toBe('Deleted api: seed-api\nDeleted function: seed-api-fn\n');
    expect((await run('get', 'api', 'seed-api')).code).toBe(1);
    expect((await fetch(`${solo.gateway}/default/seed-hello`)).status).toBe(404);
    expect((await run('delete', '-f', file)).stdout).toBe('Skipped api: seed-api (not found)\nSkipped function: seed-api-fn (not found)\n');
  }, 120_000);

  it('deletes what the seed file declares, functions before the secret, and skips what is already gone', async () => {
    const deleted = await run('delete', '-f', join(seedDir, 'seed.yaml'));
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toBe('Deleted function: seed-py\nDeleted function: seed-node\nDeleted secret: seed-db\n');
    expect(await getFunction('seed-node')).toBeUndefined();
    expect(await getFunction('seed-py')).toBeUndefined();
    expect((await run('get', 'secret', 'seed-db')).code).toBe(1);

    const again = await run('delete', '-f', join(seedDir, 'seed.yaml'));
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(
      'Skipped function: seed-py (not found)\nSkipped function: seed-node (not found)\nSkipped secret: seed-db (not found)\n',
    );
  }, 120_000);
});
