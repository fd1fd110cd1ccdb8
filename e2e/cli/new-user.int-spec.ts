import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSoloServer, type SoloServer } from '@dispatch/testing';
import { cli, CLI } from './run-cli';

const FIXTURES = resolve(__dirname, '../fixtures/functions');

/** A seed file as Dispatch's users wrote them: two runtimes, schemas in and out, a secret. */
const SEED = `
kind: Secret
name: journey-db
secrets:
  password: OpenSesame
---
kind: Function
name: journey-node
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
secrets: [journey-db]
---
kind: Function
name: journey-py
sourcePath: hello.py
image: python3
schema:
  in: { type: object }
  out: { type: object, required: [greeting] }
`;

interface Run {
  name: string;
  id: string;
  status: string;
  output?: Record<string, unknown>;
}

/**
 * What a new user does on a fresh solo server, with the CLI only: log in, apply a Dispatch seed
 * file, run its functions with good and bad input, look at runs and logs, change a function and
 * roll it back, and delete everything the seed file made.
 */
describe('a new user on a fresh solo server, with the dispatch CLI only', () => {
  let solo: SoloServer;
  let dir: string;
  let seedFile: string;
  let env: Record<string, string>;
  const dispatch = (...args: string[]) => cli(env, args, undefined, 120_000);
  const json = async <T>(...args: string[]): Promise<T> => {
    const r = await dispatch(...args);
    if (r.code !== 0) throw new Error(`dispatch ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  };

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);
    solo = await startSoloServer();
    dir = await mkdtemp(join(tmpdir(), 'dispatch-new-user-'));
    env = { DISPATCH_CONFIG: join(dir, 'cli', 'config.json'), DISPATCH_HOME: solo.home, HOME: dir };
    const seedDir = join(dir, 'project');
    await mkdir(seedDir);
    await cp(join(FIXTURES, 'node-hello'), join(seedDir, 'node-hello'), { recursive: true });
    await cp(join(FIXTURES, 'python-hello', 'hello.py'), join(seedDir, 'hello.py'));
    seedFile = join(seedDir, 'seed.yaml');
    await writeFile(seedFile, SEED);
  }, 180_000);

  afterAll(async () => {
    await solo?.process.stop();
    if (solo) await rm(solo.home, { recursive: true, force: true });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('logs in, applies the seed file, runs, reads runs and logs, updates, rolls back and deletes', async () => {
    expect((await dispatch('login')).code).toBe(0);

    const applied = await dispatch('create', '-f', seedFile);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Created secret: journey-db');
    expect(applied.stdout).toContain('Created function: journey-node (READY)');
    expect(applied.stdout).toContain('Created function: journey-py (READY)');
    expect(await json('get', 'function', 'journey-node', '-o', 'json')).toMatchObject({ status: 'READY', secrets: ['journey-db'] });

    // Dispatch's exec shape: the run, with its output.
    const node = await json<Run>('exec', 'journey-node', '--input', '{"name":"Jon"}', '--wait', '-o', 'json');
    expect(node).toMatchObject({ status: 'SUCCEEDED', output: { greeting: 'Hello, Jon', version: 'v1', secretKeys: ['password'] } });
    const py = await json<Run>('exec', 'journey-py', '--input', '{"name":"Arya"}', '--wait', '-o', 'json');
    expect(py.output).toEqual({ greeting: 'Hello, Arya', runtime: 'python3' });

    const refused = await dispatch('exec', 'journey-node', '--input', '{"name":"J0n"}', '--wait');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/InputError/);
    expect(refused.stderr).toMatch(/name/);

    const runs = await json<Run[]>('get', 'runs', 'journey-node', '-o', 'json');
    expect(Array.isArray(runs)).toBe(true);
    expect(runs.map((r) => r.status).sort()).toEqual(['FAILED', 'SUCCEEDED']);

    const logs = await dispatch('logs', node.id);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain('hello from journey-node');
    expect(logs.stderr).toContain('a line on stderr');

    const updated = await dispatch('update', 'function', 'journey-node', '--env', 'GREETING_VERSION=v2');
    expect(updated.code).toBe(0);
    expect((await json<Run>('exec', 'journey-node', '--input', '{"name":"Jon"}', '-o', 'json')).output?.version).toBe('v2');
    expect((await json<unknown[]>('function', 'versions', 'journey-node', '-o', 'json')).length).toBe(2);

    const rolledBack = await dispatch('function', 'rollback', 'journey-node', '1');
    expect(rolledBack.code).toBe(0);
    expect((await json<Run>('exec', 'journey-node', '--input', '{"name":"Jon"}', '-o', 'json')).output?.version).toBe('v1');

    const deleted = await dispatch('delete', '-f', seedFile);
    expect(deleted.code).toBe(0);
    for (const [kind, name] of [
      ['function', 'journey-node'],
      ['function', 'journey-py'],
      ['secret', 'journey-db'],
    ]) {
      const gone = await dispatch('get', kind, name);
      expect(gone.code).toBe(1);
      expect(gone.stderr).toContain('NOT_FOUND');
    }
  }, 240_000);
});
