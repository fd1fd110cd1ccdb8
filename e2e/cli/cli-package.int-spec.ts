import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startSoloServer, type SoloServer } from '@dispatch/testing';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');

describe('the dispatch CLI as an npm package', () => {
  let dir: string;
  let dispatch: string;
  let solo: SoloServer | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dispatch-cli-package-'));
    const { stdout } = await run(process.execPath, [join(ROOT, 'tools/cli-package/pack.mjs'), join(dir, 'out')], { cwd: ROOT });
    const tarball = stdout.trim();
    // A prefix of its own, as `npm install -g` would use /usr/local; dependencies come from the npm cache or registry.
    await run('npm', ['install', '-g', '--prefix', join(dir, 'global'), '--no-audit', '--no-fund', '--prefer-offline', tarball], {
      cwd: dir,
      timeout: 120_000,
    });
    dispatch = join(dir, 'global', 'bin', 'dispatch');
  }, 180_000);

  afterAll(async () => {
    await solo?.process.stop();
    if (solo) await rm(solo.home, { recursive: true, force: true });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('ships only the CLI and the libs it loads, with the pinned versions of what they require', async () => {
    const manifest = JSON.parse(await readFile(join(dir, 'out', 'package', 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      dependencies: Record<string, string>;
    };
    const repo = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(manifest.bin).toEqual({ dispatch: 'apps/cli/src/main.js' });
    expect(manifest.dependencies.commander).toBe(repo.dependencies.commander);
    // Nothing of the server side comes along.
    expect(Object.keys(manifest.dependencies)).not.toEqual(expect.arrayContaining(['@nestjs/core']));
    expect(Object.keys(manifest.dependencies)).not.toContain('typeorm');
  });

  it('resolves every package any of its files requires, lazily required ones included, from where it is installed', async () => {
    const installed = join(dir, 'global', 'lib', 'node_modules', 'dispatch-cli');
    const files = (await readdir(installed, { recursive: true })).filter((f) => f.endsWith('.js') && !f.startsWith('node_modules'));
    expect(files).toContain(join('apps', 'cli', 'src', 'main.js'));
    const unresolved: string[] = [];
    for (const file of files) {
      const code = await readFile(join(installed, file), 'utf8');
      const resolveFrom = createRequire(join(installed, file));
      for (const [, , spec] of code.matchAll(/require\((['"])([^'"]+)\1\)/g)) {
        try {
          resolveFrom.resolve(spec);
        } catch {
          unresolved.push(`${file}: ${spec}`);
        }
      }
    }
    expect(unresolved).toEqual([]);
  });

  it('installs a dispatch command that works against a server', async () => {
    const version = await run(dispatch, ['version'], { env: { PATH: process.env.PATH ?? '', HOME: dir } });
    expect(version.stdout).toMatch(/^Client: \d+\.\d+\.\d+/);
    solo = await startSoloServer();
    const env = { PATH: process.env.PATH ?? '', HOME: dir, DISPATCH_HOME: solo.home, DISPATCH_CONFIG: join(dir, 'config.json') };
    expect((await run(dispatch, ['login'], { env })).stdout).toContain(`Logged in to ${solo.api}`);
    expect(JSON.parse((await run(dispatch, ['get', 'secret', '-o', 'json'], { env })).stdout)).toEqual([]);
    await expect(run(dispatch, ['gett'], { env })).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('Did you mean get?') });
  }, 120_000);
});
