import type { FunctionSpec } from './deployment';
import { workerEnv } from './worker-env';

describe('workerEnv', () => {
  const spec = {
    codeDir: '/images/abc',
    handler: 'index.js',
    memoryLimitMb: 128,
    envVars: { DISPATCH_RUNTIME: 'nodejs', DISPATCH_HANDLER: 'index.js', GREETING: 'hi', PATH: '/evil', DISPATCH_SOCKET: '/elsewhere' },
  } as unknown as FunctionSpec;

  it('passes the deployment variables and the shim contract, and of the host only PATH, LANG and interpreter locators', () => {
    const env = workerEnv(spec, { socketPath: '/w/1/s.sock', home: '/w/h/1', lifelineFd: 3 }, { PATH: '/usr/bin', LANG: 'en_US.UTF-8', HOME: '/root', DATABASE_URL: 'postgres://secret', PYENV_ROOT: '/root/.pyenv' });
    expect(env).toEqual({
      DISPATCH_RUNTIME: 'nodejs',
      DISPATCH_HANDLER: 'index.js',
      GREETING: 'hi',
      PATH: '/usr/bin',
      LANG: 'en_US.UTF-8',
      HOME: '/w/h/1',
      TMPDIR: '/w/h/1',
      PYENV_ROOT: '/root/.pyenv',
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
      DISPATCH_CODE_DIR: '/images/abc',
      DISPATCH_SOCKET: '/w/1/s.sock',
      DISPATCH_MEMORY_LIMIT_MB: '128',
      DISPATCH_LIFELINE_FD: '3',
    });
  });
});
