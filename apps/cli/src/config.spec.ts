import { chmod, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, configPath, currentContext, loadConfig, saveConfig, upsertContext, withConfigLock, type Context } from './config';

const ctx = (name: string): Context => ({ name, apiUrl: 'http://127.0.0.1:8080', org: 'default', auth: { token: `t-${name}` } });

describe('config file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dispatch-config-'));
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  it('lives in DISPATCH_CONFIG, else ~/.dispatch/config.json', () => {
    expect(configPath({ DISPATCH_CONFIG: '/x/c.json' })).toBe('/x/c.json');
    expect(configPath({})).toMatch(/\.dispatch\/config\.json$/);
  });

  it('reads a missing file as no contexts', async () => {
    expect(await loadConfig(join(dir, 'none.json'))).toEqual({ contexts: [] });
  });

  it('writes mode 0600 (in a new directory) and reads back what it wrote', async () => {
    const path = join(dir, 'sub', 'config.json');
    const config = upsertContext(upsertContext({ contexts: [] }, ctx('a')), ctx('b'));
    await saveConfig(config, path);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await loadConfig(path)).toEqual(config);
    expect(currentContext(config)?.name).toBe('b');
    expect(currentContext(config, 'a')?.name).toBe('a');
    expect(currentContext(config, 'zz')).toBeUndefined();
  });

  it('replaces a context of the same name and makes it current', () => {
    const config = upsertContext(upsertContext(upsertContext({ contexts: [] }, ctx('a')), ctx('b')), { ...ctx('a'), org: 'other' });
    expect(config.current).toBe('a');
    expect(config.contexts.map((c) => [c.name, c.org])).toEqual([
      ['b', 'default'],
      ['a', 'other'],
    ]);
  });

  it('repairs a file others can read to 0600, with a warning', async () => {
    const path = join(dir, 'config.json');
    await saveConfig({ current: 'a', contexts: [ctx('a')] }, path);
    await chmod(path, 0o644);
    let err = '';
    jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
    expect((await loadConfig(path)).current).toBe('a');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(err).toContain('had mode 0644; changed to 0600');
  });

  it('names a broken file rather than overwriting it', async () => {
    const path = join(dir, 'config.json');
    await writeFile(path, '{oops', { mode: 0o600 });
    await expect(loadConfig(path)).rejects.toThrow(ConfigError);
    await writeFile(path, JSON.stringify({ contexts: [{ name: 'x' }] }), { mode: 0o600 });
    await expect(loadConfig(path)).rejects.toThrow(/context 0 needs name, apiUrl, org and auth/);
    expect(await readFile(path, 'utf8')).toContain('"x"');
  });

  it("keeps solo mode's credentials that share the file by default", async () => {
    const path = join(dir, 'config.json');
    const soloFields = { apiUrl: 'http://127.0.0.1:8080', organization: 'default', serviceAccount: 'admin', privateKey: 'PEM' };
    await writeFile(path, JSON.stringify(soloFields), { mode: 0o600 });
    const loaded = await loadConfig(path);
    expect(loaded.contexts).toEqual([]);
    await saveConfig(upsertContext(loaded, ctx('a')), path);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ ...soloFields, current: 'a', contexts: [ctx('a')] });
  });

  it('lets one process at a time hold the config lock, and takes over a stale one', async () => {
    const path = join(dir, 'locked', 'config.json');
    const order: string[] = [];
    const hold = (name: string) =>
      withConfigLock(async () => {
        order.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 30));
        order.push(`${name} out`);
      }, path);
    await Promise.all([hold('a'), hold('b')]);
    expect(order).toEqual(['a in', 'a out', 'b in', 'b out']);

    await writeFile(`${path}.lock`, '');
    const old = new Date(Date.now() - 60_000);
    await utimes(`${path}.lock`, old, old);
    await expect(withConfigLock(async () => 'taken over', path)).resolves.toBe('taken over');
    await expect(stat(`${path}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
