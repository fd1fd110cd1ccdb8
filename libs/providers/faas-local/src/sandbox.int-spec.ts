import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@dispatch/testing';
import type { FaasLocal } from './faas-local';
import { detectSandbox } from './sandbox';
import { processTreePids } from './proc-memory';
import {
  Gateway,
  capturedLogger,
  deployment,
  handlerSource,
  isAlive,
  removeTempDirs,
  tempDir,
  startTestFaas,
  writeImage,
} from './test-support/harness';

afterAll(() => removeTempDirs());

/** Whether bubblewrap can build a sandbox on this machine (containers often forbid user namespaces). */
const bwrapWorks =
  spawnSync('bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--die-with-parent', '--', 'true'])
    .status === 0;
if (!bwrapWorks) {
  console.warn(
    'faas-local sandbox tests skipped: bubblewrap (bwrap) is not installed or cannot create namespaces here (apt-get install bubblewrap)',
  );
}

describe('faas-local: without a sandbox', () => {
  it('says plainly, once, that functions are not sandboxed and how to fix it', async () => {
    const missing = await detectSandbox('auto', '/nonexistent');
    expect(missing).toMatchObject({
      kind: 'none',
      reason: 'bubblewrap (bwrap) not found; install it (apt-get install bubblewrap) to isolate them',
    });
    await expect(detectSandbox('required', '/nonexistent')).rejects.toThrow(/a sandbox is required but bubblewrap \(bwrap\) not found/);

    const { logger, lines } = capturedLogger();
    const faas = await startTestFaas(tempDir('faas-local-images-'), { logger });
    await faas.stop();
    const warnings = lines().filter((l) => l.level === 40);
    expect(warnings.map((l) => l.msg)).toEqual(['functions are not sandboxed: the sandbox is turned off (sandbox: off)']);
    expect(faas.sandbox).toBe('none');
  });

  it('still ties unsandboxed workers to the provider with setpriv --pdeathsig KILL where setpriv works, and runs them bare where it does not', async () => {
    const setpriv = spawnSync('setpriv', ['--pdeathsig', 'KILL', '--', 'true']).status === 0;
    const off = await detectSandbox('off');
    const wrapped = off.wrap('/usr/bin/node', ['shim.js'], { codeDir: '/c', socketDir: '/s', hiddenPaths: [] });
    if (setpriv) {
      expect(wrapped.command).toMatch(/\/setpriv$/);
      expect(wrapped.args).toEqual(['--pdeathsig', 'KILL', '--', '/usr/bin/node', 'shim.js']);
    } else {
      expect(wrapped).toEqual({ command: '/usr/bin/node', args: ['shim.js'] });
    }
    const bare = (await detectSandbox('off', '/nonexistent')).wrap('/usr/bin/node', ['shim.js'], {
      codeDir: '/c',
      socketDir: '/s',
      hiddenPaths: [],
    });
    expect(bare).toEqual({ command: '/usr/bin/node', args: ['shim.js'] });
  });
});

(bwrapWorks ? describe : describe.skip)('faas-local: workers sandboxed by bubblewrap', () => {
  const home = tempDir('faas-local-home-');
  const imagesRoot = join(home, 'images');
  mkdirSync(imagesRoot);
  writeFileSync(join(home, 'secret.key'), 'top secret');
  const image = writeImage(imagesRoot, { 'handler.js': handlerSource('sandboxed') });
  const other = writeImage(imagesRoot, { 'handler.js': handlerSource('other'), 'private.txt': 'another function' });
  let faas: FaasLocal;
  let gw: Gateway;

  beforeAll(async () => {
    faas = await startTestFaas(imagesRoot, { sandbox: 'required', hiddenPaths: [home], scaling: { monitorIntervalMs: 50 } });
    gw = new Gateway(faas);
    await gw.deployReady(deployment('boxed', image, { memory: '96Mi' }));
  });
  afterAll(() => faas?.stop());

  it('runs the function with the host read-only, its code read-only, a private writable HOME, and the data dir hidden', async () => {
    expect(faas.sandbox).toBe('bwrap');
    const call = (payload: unknown) =>
      gw.callJson<{ error?: string; text?: string; wrote?: boolean; env?: Record<string, string> }>('boxed', payload);
    const codeDir = join(imagesRoot, image.slice('local/'.length));
    expect(await call({ action: 'read', path: join(home, 'secret.key') })).toEqual({ error: 'ENOENT' });
    expect(await call({ action: 'read', path: join(imagesRoot, other.slice('local/'.length), 'private.txt') })).toEqual({
      error: 'ENOENT',
    });
    expect(await call({ action: 'read', path: join(codeDir, 'handler.js') })).toMatchObject({ text: expect.stringContaining('sandboxed') });
    expect(await call({ action: 'write', path: join(codeDir, 'new.txt') })).toEqual({ error: 'EROFS' });
    expect(await call({ action: 'write', path: '/usr/new.txt' })).toEqual({ error: 'EROFS' });
    expect(await call({ action: 'write', path: '/tmp/scratch.txt' })).toEqual({ wrote: true });
    const { env } = await call({ action: 'env' });
    expect(env).toMatchObject({ HOME: '/tmp', DISPATCH_CODE_DIR: codeDir });
  });

  it('enforces the memory limit on the whole sandboxed tree, and stop leaves no process behind', async () => {
    const res = await gw.call('boxed', { action: 'hog' });
    expect(res.status).toBe(502);
    expect(res.headers.get('x-dispatch-failure')).toBe('memory');
    await gw.waitAvailable('boxed');
    // The replacement: the killed worker may not have finished exiting yet, and stays listed until it has.
    const worker = faas.workers('boxed').find((w) => w.state === 'ready')!;
    const tree = await waitFor(
      () => {
        const pids = processTreePids(worker.pid!);
        return pids.length >= 3 && pids;
      },
      { what: 'the sandboxed process tree (bwrap → bwrap → node)' },
    );
    await faas.stop();
    // The sandbox's init (the inner bwrap) reaps the function, reports its exit status to the
    // outer bwrap, and only then exits itself: the outer one, whose exit ends stop(), may be gone
    // while the init is still on its way out on a busy machine.
    const [outer, init, ...inside] = tree;
    expect([outer, ...inside].filter(isAlive)).toEqual([]);
    await waitFor(() => !isAlive(init), { what: `the sandbox's init (pid ${init}) to exit` });
  });
});
