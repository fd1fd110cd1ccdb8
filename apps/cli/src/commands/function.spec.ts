import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeApi, type Received } from '../test-support/fake-api';
import { functionFieldsOf, timeoutSeconds } from './function';

const fn = (over: Record<string, unknown> = {}) => ({
  name: 'hello',
  status: 'READY',
  activeVersion: 1,
  latestVersion: 1,
  reason: [],
  ...over,
});

describe('function flags → API fields', () => {
  it("maps Dispatch's --image nodejs|python3 to the runtime, another image to image", async () => {
    expect(await functionFieldsOf({ image: 'nodejs' })).toEqual({ runtime: 'nodejs' });
    expect(await functionFieldsOf({ image: 'python3' })).toEqual({ runtime: 'python3' });
    expect(await functionFieldsOf({ runtime: 'python3' })).toEqual({ runtime: 'python3' });
    expect(await functionFieldsOf({ image: 'registry.local/hello:1' })).toEqual({ image: 'registry.local/hello:1' });
    await expect(functionFieldsOf({ runtime: 'java' })).rejects.toThrow('unknown runtime "java": use one of nodejs, python3');
    await expect(functionFieldsOf({ image: 'nodejs', runtime: 'nodejs' })).rejects.toThrow('either --image or --runtime');
  });

  it('sets nothing for absent flags, so an update changes only what is given', async () => {
    expect(await functionFieldsOf({})).toEqual({});
    expect(await functionFieldsOf({ handler: 'hello.handle', memory: '512' })).toEqual({ handler: 'hello.handle', memoryMb: 512 });
  });

  it("reads Dispatch's --timeout as milliseconds, rounded up to the API's seconds; 0 leaves the server's default", () => {
    expect(timeoutSeconds('30000')).toBe(30);
    expect(timeoutSeconds('1500')).toBe(2);
    expect(timeoutSeconds('45s')).toBe(45);
    expect(timeoutSeconds('2m')).toBe(120);
    expect(timeoutSeconds('0')).toBeUndefined();
    expect(() => timeoutSeconds('ten')).toThrow('give milliseconds (30000) or a duration such as 30s or 5m');
  });

  it('reads --env KEY=VALUE pairs and refuses a pair without a name', async () => {
    expect(await functionFieldsOf({ env: ['A=1', 'URL=http://x?a=b'] })).toEqual({ env: { A: '1', URL: 'http://x?a=b' } });
    await expect(functionFieldsOf({ env: ['=1'] })).rejects.toThrow('--env =1: write KEY=VALUE');
  });
});

describe('dispatch create|update function, function versions|rollback (against a fake API)', () => {
  let api: FakeApi;
  let dir: string;
  let status: string[];
  let answer: Record<string, unknown>;

  beforeEach(async () => {
    status = [];
    answer = fn();
    api = new FakeApi((req: Received) => {
      if (req.method === 'POST' && req.url === '/v1/function')
        return { status: 201, body: fn({ status: 'CREATING', activeVersion: null }) };
      if (req.method === 'PUT') return { status: 200, body: fn({ status: 'UPDATING', latestVersion: 2 }) };
      if (req.method === 'POST' && req.url.endsWith('/rollback'))
        return { status: 200, body: fn({ status: 'UPDATING', latestVersion: 3 }) };
      if (req.url.startsWith('/v1/function/hello/versions'))
        return {
          status: 200,
          body: { items: [{ version: 2, status: 'READY', reason: [], spec: { handler: 'b.js' }, createdTime: 't2' }] },
        };
      if (req.method === 'GET') return { status: 200, body: status.length ? fn({ status: status.shift() }) : answer };
      return { status: 404, body: { code: 'NOT_FOUND', message: 'no' } };
    });
    await api.start();
    dir = await mkdtemp(join(tmpdir(), 'dispatch-fn-spec-'));
    await mkdir(join(dir, 'src', 'lib'), { recursive: true });
    await writeFile(join(dir, 'src', 'hello.js'), 'module.exports = () => 1;');
    await writeFile(join(dir, 'src', 'lib', 'util.js'), 'exports.x = 1;');
    await writeFile(join(dir, 'in.json'), JSON.stringify({ type: 'object', required: ['name'] }));
    await writeFile(join(dir, 'out.json'), JSON.stringify({ type: 'string' }));
    await writeFile(join(dir, 'hello.py'), 'def handle(ctx, payload):\n    return payload\n');
  });
  afterEach(async () => {
    await api.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("sends Dispatch's create function flags as the API's fields, with the directory's files, and waits for READY", async () => {
    status = ['CREATING'];
    const code = await api.cli(
      'create', 'function', '--image=nodejs', 'hello', join(dir, 'src'), '--handler=./hello.js',
      '--schema-in', join(dir, 'in.json'), '--schema-out', join(dir, 'out.json'),
      '--secret', 'db,api', '--secret', 'extra', '--service', 'mq', '--timeout', '30000', '--env', 'MODE=test',
    ); // prettier-ignore
    expect(api.err).toContain('function hello: CREATING');
    expect(code).toBe(0);
    const [create] = api.writes();
    expect(create.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(await create.json()).toEqual({
      name: 'hello',
      runtime: 'nodejs',
      handler: './hello.js',
      inputSchema: { type: 'object', required: ['name'] },
      outputSchema: { type: 'string' },
      secrets: ['db', 'api', 'extra'],
      services: ['mq'],
      timeoutSeconds: 30,
      env: { MODE: 'test' },
    });
    expect(await create.files()).toEqual({ 'hello.js': 'module.exports = () => 1;', 'lib/util.js': 'exports.x = 1;' });
    expect(api.out).toBe('Created function: hello (version 1 serves)\n');
  });

  it("makes a single file its own handler (Python's handle in hello.py)", async () => {
    expect(await api.cli('create', 'function', '--image', 'python3', 'hello', join(dir, 'hello.py'))).toBe(0);
    const [create] = api.writes();
    expect(await create.json()).toEqual({ name: 'hello', runtime: 'python3', handler: 'hello.py' });
    expect(Object.keys(await create.files())).toEqual(['hello.py']);
  });

  it('refuses, before any request, what cannot deploy: no runtime, a directory without --handler, a bad schema', async () => {
    expect(await api.cli('create', 'function', 'hello', join(dir, 'src'))).toBe(2);
    expect(api.err).toContain('give the runtime: --image nodejs|python3');
    expect(await api.cli('create', 'function', '--image', 'nodejs', 'hello', join(dir, 'src'))).toBe(2);
    expect(api.err).toContain('--handler is required: the source');
    expect(
      await api.cli(
        'create',
        'function',
        '--image',
        'nodejs',
        'hello',
        join(dir, 'src'),
        '--handler',
        'hello.js',
        '--schema-in',
        join(dir, 'hello.py'),
      ),
    ).toBe(2);
    expect(api.err).toMatch(/--schema-in: .*hello\.py is not JSON/);
    expect(await api.cli('create', 'function', '--image', 'acme/fn:1', 'hello', join(dir, 'src'))).toBe(2);
    expect(api.err).toContain('an image runs as it is and takes no PATH');
    expect(api.requests).toEqual([]);
  });

  it('exits 1 with the reason when the deploy ends in ERROR, and prints the function with -o json', async () => {
    status = ['CREATING'];
    answer = fn({ status: 'ERROR', activeVersion: null, reason: ['version 1: handler error: cannot load hello.js'] });
    expect(
      await api.cli('create', 'function', '--runtime', 'nodejs', 'hello', join(dir, 'src'), '--handler', 'hello.js', '-o', 'json'),
    ).toBe(1);
    expect(api.err).toContain('error: function hello failed to deploy: version 1: handler error: cannot load hello.js');
    expect(JSON.parse(api.out)).toMatchObject({ name: 'hello', status: 'ERROR' });
  });

  it('returns at CREATING with --no-wait, without polling', async () => {
    expect(
      await api.cli('create', 'function', '--runtime', 'nodejs', 'hello', join(dir, 'src'), '--handler', 'hello.js', '--no-wait'),
    ).toBe(0);
    expect(api.requests.map((r) => r.method)).toEqual(['POST']);
    expect(api.out).toContain('Created function: hello (CREATING; see dispatch get function hello)');
  });

  it('updates only the given fields, as JSON without source, and fails when the new version does not serve', async () => {
    answer = fn({ latestVersion: 2, reason: ['version 2: handler error: boom'] });
    expect(await api.cli('update', 'function', 'hello', '--timeout', '5s')).toBe(1);
    const [put] = api.writes();
    expect(put.url).toBe('/v1/function/hello');
    expect(put.contentType).toMatch(/^application\/json/);
    expect(await put.json()).toEqual({ timeoutSeconds: 5 });
    expect(api.err).toContain('the new version does not serve (version 1 still does): version 2: handler error: boom');
    expect(await api.cli('update', 'function', 'hello')).toBe(2);
    expect(api.err).toContain('nothing to change');
  });

  it('uploads new source on update and keeps the handler unless given', async () => {
    answer = fn({ activeVersion: 2, latestVersion: 2 });
    expect(await api.cli('update', 'function', 'hello', join(dir, 'src'))).toBe(0);
    const put = api.writes()[0];
    expect(await put.json()).toEqual({});
    expect(Object.keys(await put.files()).sort()).toEqual(['hello.js', 'lib/util.js']);
    expect(api.out).toContain('Updated function: hello (version 2 serves)');
  });

  it('lists versions and rolls back to one, positional or --to', async () => {
    expect(await api.cli('function', 'versions', 'hello', '-o', 'json')).toBe(0);
    expect(JSON.parse(api.out)).toEqual([expect.objectContaining({ version: 2 })]);
    api.out = '';
    answer = fn({ activeVersion: 3, latestVersion: 3 });
    expect(await api.cli('function', 'rollback', 'hello', '1')).toBe(0);
    expect(await api.cli('function', 'rollback', 'hello', '--to', '1')).toBe(0);
    const rollbacks = api.writes();
    expect(rollbacks.map((r) => r.url)).toEqual(['/v1/function/hello/rollback', '/v1/function/hello/rollback']);
    for (const r of rollbacks) expect(await r.json()).toEqual({ version: 1 });
    expect(api.out).toContain('Rolled back function: hello (version 1 again, as version 3, serves)');
    expect(await api.cli('function', 'rollback', 'hello')).toBe(2);
    expect(await api.cli('function', 'rollback', 'hello', '1', '--to', '2')).toBe(2);
  });
});
