import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

/** Runs a build script of tools/ to the end, calling `meanwhile` on every turn of the event loop. */
async function build(script: string, meanwhile: () => void): Promise<number | null> {
  const child = spawn(process.execPath, [join('tools', script)], { cwd: ROOT, stdio: 'ignore' });
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  while (child.exitCode === null && child.signalCode === null) {
    meanwhile();
    await new Promise((next) => setImmediate(next));
  }
  return exited;
}

/**
 * `npm start` builds before it starts: the build must never take away a file a server already
 * running from the same checkout loads later (its workers' runtime shim, a lazily required module).
 */
describe('tools/build.mjs', () => {
  const watched = ['dist/apps/dispatch/src/main.js', 'dist/libs/runtimes/nodejs/src/shim.js'].map((file) => join(ROOT, file));

  beforeAll(async () => {
    if (!watched.every((file) => existsSync(file))) expect(await build('build.mjs', () => undefined)).toBe(0);
  }, 60_000);

  it('rebuilds dist/ in place: the files a running server needs exist at every moment, and outputs of deleted sources go', async () => {
    const stale = join(ROOT, 'dist/libs/no-such-source-any-more.js');
    await writeFile(stale, '');
    let checks = 0;
    const missing = new Set<string>();
    const code = await build('build.mjs', () => {
      checks++;
      for (const file of watched) if (!existsSync(file)) missing.add(file);
    });
    expect(code).toBe(0);
    expect(checks).toBeGreaterThan(10);
    expect([...missing]).toEqual([]);
    expect(existsSync(stale)).toBe(false);
  }, 60_000);
});
