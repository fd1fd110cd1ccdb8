import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cli, CLI } from './run-cli';
import { startSoloServer, type SoloServer } from '@dispatch/testing';

interface Run {
  id: string;
  functionName: string;
  status: string;
  output: unknown;
  error: { type: string; message: string } | null;
}

/** Functions deployed, run and rolled back through the built CLI, in the shapes of Dispatch's CLI. */
describe('dispatch function commands against a solo server', () => {
  let solo: SoloServer;
  let dir: string;
  let env: Record<string, string>;
  const run = (...args: string[]) => cli(env, args, undefined, 60_000);

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);
    solo = await startSoloServer();
    dir = await mkdtemp(join(tmpdir(), 'dispatch-cli-fn-'));
    env = { DISPATCH_CONFIG: join(dir, 'cli', 'config.json'), DISPATCH_HOME: solo.home, HOME: dir };
    expect((await run('login')).code).toBe(0);

    // Dispatch's Node.js function: a directory whose handler file exports (context, payload).
    await mkdir(join(dir, 'hello-js', 'lib'), { recursive: true });
    await writeFile(join(dir, 'hello-js', 'lib', 'greet.js'), 'module.exports = (name) => `Hello, ${name}`;\n');
    await writeFile(
      join(dir, 'hello-js', 'hello.js'),
      "const greet = require('./lib/greet');\n" +
        'module.exports = async (context, payload) => {\n' +
        "  console.log('greeting', payload.name);\n" +
        '  if (payload.wait) await new Promise((r) => setTimeout(r, payload.wait));\n' +
        "  console.log('done');\n" +
        '  return { myField: greet(payload.name) };\n' +
        '};\n',
    );
    await writeFile(
      join(dir, 'schema-in.json'),
      JSON.stringify({ type: 'object', properties: { name: { type: 'string' }, wait: { type: 'number' } }, required: ['name'] }),
    );
    await writeFile(join(dir, 'schema-out.json'), JSON.stringify({ type: 'object', required: ['myField'] }));
    // Dispatch's Python function: one file with handle(ctx, payload).
    await writeFile(
      join(dir, 'hello.py'),
      'def handle(ctx, payload):\n    print("python got", payload["name"])\n    return {"py": payload["name"]}\n',
    );
    await writeFile(join(dir, 'broken.js'), "throw new Error('cannot start: missing config');\n");
    await writeFile(join(dir, 'hello-v2.js'), 'module.exports = async (context, payload) => ({ myField: `v2 ${payload.name}` });\n');
  }, 180_000);

  afterAll(async () => {
    await solo?.process.stop();
    if (solo) await rm(solo.home, { recursive: true, force: true });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("creates a Node.js function from a directory in Dispatch's shape, with its schemas, and waits until READY", async () => {
    const created = await run(
      'create', 'function', '--image=nodejs', 'hello-js', join(dir, 'hello-js'), '--handler=./hello.js',
      '--schema-in', join(dir, 'schema-in.json'), '--schema-out', join(dir, 'schema-out.json'),
    ); // prettier-ignore
    expect(created.stderr).toContain('function hello-js: CREATING');
    expect(created.code).toBe(0);
    expect(created.stdout).toBe('Created function: hello-js (version 1 serves)\n');
    const fn = JSON.parse((await run('get', 'function', 'hello-js', '-o', 'json')).stdout) as Record<string, unknown>;
    expect(fn).toMatchObject({ status: 'READY', runtime: 'nodejs', handler: './hello.js', activeVersion: 1 });
    expect(fn.inputSchema).toMatchObject({ required: ['name'] });
    expect(fn.outputSchema).toEqual({ type: 'object', required: ['myField'] });
    expect((await run('get', 'functions')).stdout).toMatch(/│ hello-js\s+│ nodejs\s+│ READY\s+│ 1\s+│ \d{4}-/);
  });

  it('runs it: --wait prints the output, -o json the run with .output, stdin gives the input', async () => {
    const waited = await run('exec', 'hello-js', '--wait', '--input', '{"name": "Jon"}');
    expect(waited.stderr).toBe('');
    expect(waited.code).toBe(0);
    expect(JSON.parse(waited.stdout)).toEqual({ myField: 'Hello, Jon' });

    const asJson = JSON.parse((await run('exec', 'hello-js', '--input', '{"name": "Ann"}', '-o', 'json')).stdout) as Run;
    expect(asJson).toMatchObject({ functionName: 'hello-js', status: 'SUCCEEDED', output: { myField: 'Hello, Ann' } });

    // A shell's pipe and redirect are read as the input; any other stdin with --input -.
    const shell = (line: string) =>
      promisify(execFile)('sh', ['-c', line], { env: { PATH: process.env.PATH ?? '', ...env, CLI, DIR: dir }, timeout: 30_000 });
    expect(JSON.parse((await shell(`echo '{"name": "Pipe"}' | node "$CLI" exec hello-js`)).stdout)).toEqual({ myField: 'Hello, Pipe' });
    await writeFile(join(dir, 'in.json'), '{"name": "File"}');
    expect(JSON.parse((await shell('node "$CLI" exec hello-js < "$DIR/in.json"')).stdout)).toEqual({ myField: 'Hello, File' });
    const dashed = await cli(env, ['exec', 'hello-js', '--input', '-'], '{"name": "Dash"}');
    expect(JSON.parse(dashed.stdout)).toEqual({ myField: 'Hello, Dash' });
    expect(JSON.parse((await run('exec', 'hello-js', '--input-file', join(dir, 'in.json'))).stdout)).toEqual({ myField: 'Hello, File' });
  });

  it('exits 1 on input its schema refuses, showing InputError and why', async () => {
    const refused = await run('exec', 'hello-js', '--input', '{"nom": "Jon"}');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^error: run [\w-]+ of hello-js FAILED: InputError: .*name/m);
    const notJson = await run('exec', 'hello-js', '--input', 'Jon');
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('the input from --input is not JSON');
  });

  it('runs async: prints the run id, get runs lists it (a JSON array with -o json), logs prints its console.log lines', async () => {
    const started = await run('exec', 'hello-js', '--async', '--input', '{"name": "Async"}');
    expect(started.code).toBe(0);
    const id = started.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    let finished: Run | undefined;
    for (let i = 0; i < 100 && finished?.status !== 'SUCCEEDED'; i++) {
      finished = JSON.parse((await run('get', 'runs', 'hello-js', id, '-o', 'json')).stdout) as Run;
      if (finished.status !== 'SUCCEEDED') await new Promise((r) => setTimeout(r, 100));
    }
    expect(finished).toMatchObject({ id, status: 'SUCCEEDED', output: { myField: 'Hello, Async' } });

    const list = JSON.parse((await run('get', 'runs', 'hello-js', '-o', 'json')).stdout) as Run[];
    expect(Array.isArray(list)).toBe(true);
    expect(list.map((r) => r.id)).toContain(id);
    expect(list.every((r) => r.functionName === 'hello-js')).toBe(true);
    const failed = JSON.parse((await run('get', 'runs', '--status', 'FAILED', '-o', 'json')).stdout) as Run[];
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => r.status === 'FAILED' && r.error?.type === 'InputError')).toBe(true);
    const table = await run('get', 'runs', 'hello-js');
    expect(table.stdout).toMatch(/ID\s+│ FUNCTION\s+│ STATUS\s+│ STARTED\s+│ DURATION/);
    expect(table.stdout).toMatch(new RegExp(`${id} │ hello-js\\s+│ SUCCEEDED │ \\d{4}-[^│]+│ \\d+(ms|\\.\\ds)`));

    const logs = await run('logs', id);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toBe('greeting Async\ndone\n');
  });

  it('follows the logs of a slow run until it finishes', async () => {
    const id = (await run('exec', 'hello-js', '--async', '--input', '{"name": "Slow", "wait": 4000}')).stdout.trim();
    const began = Date.now();
    const followed = await run('logs', id, '--follow');
    expect(followed.code).toBe(0);
    expect(followed.stdout).toBe('greeting Slow\ndone\n');
    // It waited for the run rather than printing what there was at once.
    expect(Date.now() - began).toBeGreaterThan(1500);
    expect(JSON.parse((await run('get', 'run', id, '-o', 'json')).stdout)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('creates a Python function from a single file, handle(ctx, payload) its handler', async () => {
    const created = await run('create', 'function', '--image', 'python3', 'hello-py', join(dir, 'hello.py'), '-o', 'json');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'hello-py', runtime: 'python3', handler: 'hello.py', status: 'READY' });
    const ran = JSON.parse((await run('exec', 'hello-py', '--input', '{"name": "Guido"}', '-o', 'json')).stdout) as Run & {
      logs: { stdout: string[] };
    };
    expect(ran).toMatchObject({ status: 'SUCCEEDED', output: { py: 'Guido' } });
    expect(ran.logs.stdout).toEqual(['python got Guido']);
  });

  it('exits 1 with the reason when a deploy ends in ERROR', async () => {
    const failed = await run('create', 'function', '--runtime', 'nodejs', 'broken', join(dir, 'broken.js'));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('function broken: ERROR');
    expect(failed.stderr).toMatch(/^error: function broken failed to deploy: version 1: .*cannot start: missing config/m);
    const notReady = await run('exec', 'broken', '--input', '{}');
    expect(notReady.code).toBe(1);
    expect(notReady.stderr).toContain('FUNCTION_NOT_READY');
  });

  it('updates to a new version, lists both, and rolls back to the first, whose behaviour returns', async () => {
    const updated = await run('update', 'function', 'hello-js', join(dir, 'hello-v2.js'), '--handler', 'hello-v2.js');
    expect(updated.code).toBe(0);
    expect(updated.stdout).toBe('Updated function: hello-js (version 2 serves)\n');
    expect(JSON.parse((await run('exec', 'hello-js', '--input', '{"name": "Jon"}')).stdout)).toEqual({ myField: 'v2 Jon' });
    // Only the given fields changed: the schemas stay.
    expect((await run('exec', 'hello-js', '--input', '{}')).stderr).toContain('InputError');

    const versions = JSON.parse((await run('function', 'versions', 'hello-js', '-o', 'json')).stdout) as {
      version: number;
      status: string;
    }[];
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions[0].status).toBe('READY');
    expect((await run('function', 'versions', 'hello-js')).stdout).toMatch(/│ 2\s+│ READY\s+│ hello-v2\.js/);

    const rolled = await run('function', 'rollback', 'hello-js', '--to', '1');
    expect(rolled.code).toBe(0);
    expect(rolled.stdout).toBe('Rolled back function: hello-js (version 1 again, as version 3, serves)\n');
    expect(JSON.parse((await run('exec', 'hello-js', '--input', '{"name": "Jon"}')).stdout)).toEqual({ myField: 'Hello, Jon' });
    const missing = await run('function', 'rollback', 'hello-js', '9');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/NOT_FOUND: .*no version 9/);
  });
});
