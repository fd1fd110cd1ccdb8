import { ExitCode, StartupFailure } from './exit-codes';
import { assertPortsFree, dependencyStep, describeStartupFailure, listenFailure } from './startup-failures';

const errno = (code: string) => Object.assign(new Error(`listen ${code}`), { code });

describe('start-up failures', () => {
  const api = { port: 8080, variable: 'PORT' };

  it('turns a port in use into exit 4 naming the port and its variable', () => {
    const failure = listenFailure(errno('EADDRINUSE'), api, '127.0.0.1') as StartupFailure;
    expect(failure.exitCode).toBe(ExitCode.PORT_IN_USE);
    expect(failure.message).toBe('port 8080 on 127.0.0.1 is in use by another process: set PORT to a free port, or stop that process');
  });

  it('turns a privileged port or a foreign address into a configuration failure, and leaves other errors alone', () => {
    expect((listenFailure(errno('EACCES'), api, '127.0.0.1') as StartupFailure).exitCode).toBe(ExitCode.CONFIG);
    expect((listenFailure(errno('EADDRNOTAVAIL'), api, '10.9.9.9') as StartupFailure).exitCode).toBe(ExitCode.CONFIG);
    const other = new Error('boom');
    expect(listenFailure(other, api, '127.0.0.1')).toBe(other);
  });

  it('refuses one fixed port for two listeners before trying either', async () => {
    await expect(assertPortsFree([api, { port: 8080, variable: 'GATEWAY_PORT' }], '127.0.0.1')).rejects.toMatchObject({
      exitCode: ExitCode.CONFIG,
      message: 'PORT and GATEWAY_PORT are both 8080: give them different ports',
    });
  });

  it('classifies a failed dependency step as 5 naming the step, keeping a failure already classified', async () => {
    await expect(dependencyStep('migrating the database', () => Promise.reject(new Error('no such schema')))).rejects.toMatchObject({
      exitCode: ExitCode.DEPENDENCY_FAILED,
      message: 'migrating the database failed: no such schema',
    });
    const classified = new StartupFailure(ExitCode.PORT_IN_USE, 'taken');
    await expect(dependencyStep('x', () => Promise.reject(classified))).rejects.toBe(classified);
  });

  it('reports a classified failure by its message and code, anything else with its stack and exit 1', () => {
    expect(describeStartupFailure(new StartupFailure(ExitCode.DEPENDENCY_FAILED, 'no database'))).toEqual({
      exitCode: 5,
      text: 'no database',
    });
    const unexpected = describeStartupFailure(new Error('surprise'));
    expect(unexpected.exitCode).toBe(1);
    expect(unexpected.text).toMatch(/^Error: surprise\n\s+at /);
  });
});
