import { DISPATCH_VERSION } from '@dispatch/contracts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './main';

describe('dispatch CLI', () => {
  let out: string;
  let err: string;
  let dir: string;
  const saved = process.env.DISPATCH_CONFIG;
  beforeEach(async () => {
    out = '';
    err = '';
    dir = await mkdtemp(join(tmpdir(), 'dispatch-cli-unit-'));
    process.env.DISPATCH_CONFIG = join(dir, 'config.json'); // no context: the version is the CLI's only
    jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
    jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    process.env.DISPATCH_CONFIG = saved;
    await rm(dir, { recursive: true, force: true });
  });

  it('prints its version as text or JSON', async () => {
    expect(await run(['node', 'dispatch', 'version'])).toBe(0);
    expect(out).toBe(`Client: ${DISPATCH_VERSION}\n`);
    out = '';
    expect(await run(['node', 'dispatch', 'version', '--output', 'json'])).toBe(0);
    expect(JSON.parse(out)).toEqual({ client: { version: DISPATCH_VERSION } });
  });

  it('exits 2 on usage mistakes, with the closest suggestion', async () => {
    expect(await run(['node', 'dispatch', 'verison'])).toBe(2);
    expect(err).toContain('(Did you mean version?)');
    expect(await run(['node', 'dispatch', 'version', '-o', 'xml'])).toBe(2);
    expect(err).toContain('unknown output format "xml"');
  });

  it('exits 1 and says to log in when there is no context', async () => {
    expect(await run(['node', 'dispatch', 'get', 'secret'])).toBe(1);
    expect(err).toContain('not logged in');
    expect(err).toContain('dispatch login');
  });
});
