import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../main';

describe('dispatch create -f and delete -f', () => {
  let out: string;
  let err: string;
  let dir: string;
  const saved = process.env.DISPATCH_CONFIG;
  const dispatch = (...args: string[]) => run(['node', 'dispatch', ...args]);
  beforeEach(async () => {
    out = '';
    err = '';
    dir = await mkdtemp(join(tmpdir(), 'dispatch-apply-unit-'));
    process.env.DISPATCH_CONFIG = join(dir, 'config.json'); // no context: nothing can reach a server
    jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
    jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    process.env.DISPATCH_CONFIG = saved;
    await rm(dir, { recursive: true, force: true });
  });

  it('checks the seed file before it needs a server: a problem exits 1 naming file, document and field', async () => {
    const file = join(dir, 'seed.yaml');
    await writeFile(file, 'kind: Secret\nname: ok\nsecrets: {a: b}\n---\nkind: Driver\nname: ticker\n');
    for (const verb of ['create', 'delete']) {
      err = '';
      expect(await dispatch(verb, '-f', file)).toBe(1);
      expect(err).toContain('nothing was applied');
      expect(err).toContain(`${file} document 2 (Driver ticker): kind: Driver is not supported yet`);
      expect(err).not.toContain('not logged in');
      expect(out).toBe('');
    }
  });

  it('goes on to the server once the seed file is right (here: none to log in to)', async () => {
    const file = join(dir, 'seed.yaml');
    await writeFile(file, 'kind: Secret\nname: ok\nsecrets: {a: b}\n');
    expect(await dispatch('create', '-f', file)).toBe(1);
    expect(err).toContain('not logged in');
  });

  it('shows the verb’s help for create or delete without -f, as a usage mistake', async () => {
    expect(await dispatch('create')).toBe(2);
    expect(err).toContain('Usage: dispatch create [options] [command]');
    expect(err).toContain('-f, --file <path>');
    expect(err).toContain('secret');
  });

  it('keeps the nouns: an unknown one is named with the closest, and a noun keeps its own -o', async () => {
    expect(await dispatch('create', 'secrt', 'db', 'db.json')).toBe(2);
    expect(err).toContain("unknown command 'secrt'");
    expect(err).toContain('(Did you mean secret?)');
    err = '';
    // `-o xml` reaches `create secret`, which refuses it before reading its file.
    expect(await dispatch('create', 'secret', 'db', join(dir, 'db.json'), '-o', 'xml')).toBe(2);
    expect(err).toContain('unknown output format "xml"');
    err = '';
    expect(await dispatch('delete', 'secret', 'db', '-o', 'json')).toBe(2);
    expect(err).toContain('dispatch delete secret prints no resources: leave out -o');
    err = '';
    expect(await dispatch('create', 'secret', 'db', 'db.json', '-f', 'seed.yaml')).toBe(2);
    expect(err).toContain('-f and -w go with dispatch create alone');
  });
});
