import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DISPATCH_ENV_CODE_DIR,
  DISPATCH_ENV_HANDLER,
  DISPATCH_ENV_LIFELINE_FD,
  DISPATCH_ENV_MEMORY_LIMIT_MB,
  DISPATCH_ENV_RUNTIME,
  DISPATCH_ENV_SOCKET,
  type FunctionReply,
} from '@dispatch/contracts';
import { nodejsShimCandidates } from '@dispatch/runtime-nodejs';
import { waitFor } from '@dispatch/testing';
import { startFaasLocal, type FaasLocal } from './faas-local';
import { Gateway, deployment, removeTempDirs, tempDir, writeImage } from './test-support/harness';
import { processTreePids } from './proc-memory';
import { workerPath } from './worker-env';

afterAll(() => removeTempDirs());

const REPO = resolve(__dirname, '../../../..');

/**
 * faas-local with its default runtimes: the real Node.js shim (run compiled from dist/, built
 * here when missing) and the real Python shim, each in worker processes. The sandbox is left on
 * auto, so where bubblewrap works these run sandboxed, as in solo mode.
 */
describe('faas-local with the real runtimes', () => {
  const imagesRoot = tempDir('faas-local-images-');
  const nodeImage = writeImage(imagesRoot, {
    'index.js': `module.exports = async (context, payload) => { console.log('in call'); return { hello: payload.name, runtime: 'nodejs' }; };`,
    'env.js': `module.exports = () => process.env;`,
    'hog.js': `module.exports = async () => { const keep = []; for (;;) { keep.push(Buffer.alloc(8 * 1024 * 1024, 1)); await new Promise((r) => setTimeout(r, 2)); } };`,
  });
  const pythonImage = writeImage(imagesRoot, {
    'hello.py': `def handle(context, payload):\n    print("in call")\n    return {"hello": payload["name"], "runtime": "python3"}\n`,
    'env.py': `import os, sys\n\ndef handle(context, payload):\n    return {"env": dict(os.environ), "executable": sys.executable}\n`,
  });
  let faas: FaasLocal;
  let gw: Gateway;

  beforeAll(async () => {
    if (!nodejsShimCandidates().some((file) => existsSync(file))) {
      execFileSync(process.execPath, ['tools/build.mjs', 'libs/runtimes/nodejs'], { cwd: REPO });
    }
    faas = await startFaasLocal({ imagesRoot, scaling: { monitorIntervalMs: 50 } });
    gw = new Gateway(faas);
  });
  afterAll(() => faas?.stop());

  const envelope = (payload: unknown) => ({ context: { functionName: 'x' }, payload });

  it('runs a Node.js function: the envelope in, a FunctionReply out', async () => {
    await gw.deployReady(deployment('node-hello', nodeImage, { handler: 'index.js', memory: '128Mi' }));
    const res = await fetch(`${faas.url}/function/node-hello`, { method: 'POST', body: JSON.stringify(envelope({ name: 'ada' })) });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as FunctionReply;
    expect(reply.payload).toEqual({ hello: 'ada', runtime: 'nodejs' });
    expect(reply.context.logs.stdout).toEqual(['in call']);
  });

  it('runs a Python function', async () => {
    await gw.deployReady(
      deployment('py-hello', pythonImage, { handler: 'hello.handle', memory: '128Mi', env: { DISPATCH_RUNTIME: 'python3' } }),
    );
    const res = await fetch(`${faas.url}/function/py-hello`, { method: 'POST', body: JSON.stringify(envelope({ name: 'guido' })) });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as FunctionReply;
    expect(reply.payload).toEqual({ hello: 'guido', runtime: 'python3' });
    expect(reply.context.logs.stdout).toEqual(['in call']);
  });

  it('gives every worker a lifeline on fd 3, whose other end only the provider holds', () => {
    for (const name of ['node-hello', 'py-hello']) {
      const pid = faas.workers(name)[0].pid!;
      // Sandboxed, the worker's pid is bubblewrap's: the shim runs in its descendants.
      const shims = processTreePids(pid).filter((pid) => {
        const [program] = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return !program.endsWith('bwrap') && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('shim');
      });
      expect(shims).toHaveLength(1);
      expect(readFileSync(`/proc/${shims[0]}/environ`, 'utf8').split('\0')).toContain('DISPATCH_LIFELINE_FD=3');
      expect(readlinkSync(`/proc/${shims[0]}/fd/3`)).toMatch(/^(socket|pipe):/);
    }
  });

  it('gives workers only PATH (their interpreter and the system), LANG, HOME, TMPDIR and the contract: no PATH or pyenv variables of the provider', async () => {
    // A server setting of the DISPATCH_ family, present while the workers start.
    process.env['DISPATCH_TRUSTED_ISSUERS'] = '[]';
    try {
      await gw.deployReady(deployment('node-env', nodeImage, { handler: 'env.js' }));
      await gw.deployReady(deployment('py-env', pythonImage, { handler: 'env.handle', env: { DISPATCH_RUNTIME: 'python3' } }));
    } finally {
      delete process.env['DISPATCH_TRUSTED_ISSUERS'];
    }
    const call = async (name: string) =>
      (
        (await (
          await fetch(`${faas.url}/function/${name}`, { method: 'POST', body: JSON.stringify(envelope({})) })
        ).json()) as FunctionReply
      ).payload;
    const nodeEnv = (await call('node-env')) as Record<string, string>;
    const python = (await call('py-env')) as { env: Record<string, string>; executable: string };
    // PWD is set by bubblewrap to the code directory it starts the shim in.
    // The contract's DISPATCH_* names only: a server variable such as DISPATCH_TRUSTED_ISSUERS must not pass.
    const contract = [
      DISPATCH_ENV_RUNTIME,
      DISPATCH_ENV_HANDLER,
      DISPATCH_ENV_CODE_DIR,
      DISPATCH_ENV_SOCKET,
      DISPATCH_ENV_MEMORY_LIMIT_MB,
      DISPATCH_ENV_LIFELINE_FD,
    ];
    const allowed = new RegExp(`^(PATH|LANG|HOME|TMPDIR|PWD|PYTHONUNBUFFERED|PYTHONDONTWRITEBYTECODE|${contract.join('|')})$`);
    for (const env of [nodeEnv, python.env]) {
      expect(Object.keys(env).filter((name) => !allowed.test(name))).toEqual([]);
      expect(env['PATH']).not.toBe(process.env['PATH']);
    }
    expect(nodeEnv['PATH']).toBe(workerPath(process.execPath));
    // The real interpreter, never a version manager's shim (pyenv's needs PYENV_ROOT and its PATH).
    expect(python.env['PATH']).toBe(workerPath(python.executable));
    expect(python.env['PATH']).not.toMatch(/\.pyenv\/shims/);
  });

  it('reports a handler the real shims cannot load in /system/logs, never ready', async () => {
    await gw.deploy(deployment('node-broken', nodeImage, { handler: 'missing.js' }));
    await gw.deploy(deployment('py-broken', pythonImage, { handler: 'nope.handle', env: { DISPATCH_RUNTIME: 'python3' } }));
    for (const name of ['node-broken', 'py-broken']) {
      await waitFor(async () => (await gw.logs(name)).some((e) => /^worker exited with code 3: handler error: /.test(e.text)), {
        what: `the handler error of ${name} in its logs`,
      });
      expect(await gw.status(name)).toMatchObject({ availableReplicas: 0 });
    }
  });

  it('kills a Node.js worker above its memory limit (heap cap or RSS watch) with X-Dispatch-Failure: memory', async () => {
    await gw.deployReady(deployment('node-hog', nodeImage, { handler: 'hog.js', memory: '128Mi' }));
    const res = await fetch(`${faas.url}/function/node-hog`, { method: 'POST', body: JSON.stringify(envelope({})) });
    expect(res.status).toBe(502);
    expect(res.headers.get('x-dispatch-failure')).toBe('memory');
    expect(await res.text()).toMatch(/memory limit of 128 MiB exceeded/);
  });
});
