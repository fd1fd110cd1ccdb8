import { DISPATCH_ENV_CODE_DIR, DISPATCH_ENV_HANDLER, DISPATCH_ENV_LIFELINE_FD, DISPATCH_ENV_MEMORY_LIMIT_MB, DISPATCH_ENV_SOCKET } from '@dispatch/contracts';
import type { FunctionSpec } from './deployment';

/**
 * The environment of a worker: the deployment's variables plus what the shim needs, and of the
 * provider's own environment only PATH (to find the runtime), LANG and the locators of version
 * managers (pyenv, nvm shims resolve their interpreter through them). Nothing else leaks: the
 * provider's environment holds database URLs and keys. The provider's variables come last so a
 * deployment cannot redirect the shim (its socket, code dir or PATH lookup of the runtime).
 */
export function workerEnv(spec: FunctionSpec, where: { socketPath: string; home: string; lifelineFd: number }, host: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = { ...spec.envVars };
  for (const name of ['PYENV_ROOT', 'PYENV_VERSION', 'NVM_DIR', 'NVM_BIN']) {
    const value = host[name];
    if (value !== undefined && env[name] === undefined) env[name] = value;
  }
  env['PATH'] = host['PATH'] || '/usr/local/bin:/usr/bin:/bin';
  env['LANG'] = host['LANG'] || 'C.UTF-8';
  env['HOME'] = where.home;
  env['TMPDIR'] = where.home;
  // Python: logs without buffering delay, and no .pyc written into a (read-only) code tree.
  env['PYTHONUNBUFFERED'] = '1';
  env['PYTHONDONTWRITEBYTECODE'] = '1';
  env[DISPATCH_ENV_CODE_DIR] = spec.codeDir;
  env[DISPATCH_ENV_SOCKET] = where.socketPath;
  env[DISPATCH_ENV_HANDLER] = spec.handler;
  env[DISPATCH_ENV_LIFELINE_FD] = String(where.lifelineFd);
  if (spec.memoryLimitMb !== undefined) env[DISPATCH_ENV_MEMORY_LIMIT_MB] = String(spec.memoryLimitMb);
  else delete env[DISPATCH_ENV_MEMORY_LIMIT_MB];
  return env;
}
