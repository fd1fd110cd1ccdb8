import type { FunctionSpec } from './deployment';
import { workerEnv, workerPath } from './worker-env';

describe('workerEnv', () => {
  const spec = {
    codeDir: '/images/abc',
    handler: 'index.js',
    memoryLimitMb: 128,
    envVars: {
      DISPATCH_RUNTIME: 'nodejs',
      DISPATCH_HANDLER: 'index.js',
      GREETING: 'hi',
      PATH: '/evil',
      DISPATCH_SOCKET: '/elsewhere',
      DISPATCH_LIFELINE_FD: '0',
    },
  } as unknown as FunctionSpec;
  const host = {
    PATH: '/root/.pyenv/shims:/root/.cargo/bin:/usr/bin',
    LANG: 'en_US.UTF-8',
    HOME: '/root',
    DATABASE_URL: 'postgres://secret',
    PYENV_ROOT: '/root/.pyenv',
    PYENV_VERSION: '3.11.7',
    NVM_DIR: '/root/.nvm',
  };

  it('passes the deployment variables, the shim contract, LANG, and a PATH of the interpreter and the system: nothing else of the host', () => {
    const env = workerEnv(
      spec,
      { socketPath: '/w/1/s.sock', home: '/w/h/1', lifelineFd: 3, interpreter: '/root/.pyenv/versions/3.11.7/bin/python3.11' },
      host,
    );
    expect(env).toEqual({
      DISPATCH_RUNTIME: 'nodejs',
      DISPATCH_HANDLER: 'index.js',
      GREETING: 'hi',
      PATH: '/root/.pyenv/versions/3.11.7/bin:/usr/local/bin:/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      HOME: '/w/h/1',
      TMPDIR: '/w/h/1',
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
      DISPATCH_CODE_DIR: '/images/abc',
      DISPATCH_SOCKET: '/w/1/s.sock',
      DISPATCH_MEMORY_LIMIT_MB: '128',
      DISPATCH_LIFELINE_FD: '3',
    });
  });

  it('puts the system directories on PATH once, after the interpreter’s own', () => {
    expect(workerPath('/usr/bin/node')).toBe('/usr/bin:/usr/local/bin:/bin');
    expect(workerPath('python3')).toBe('/usr/local/bin:/usr/bin:/bin');
  });
});
