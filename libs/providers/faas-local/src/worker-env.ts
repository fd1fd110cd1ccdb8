import { dirname, isAbsolute } from 'node:path';
import {
  DISPATCH_ENV_CODE_DIR,
  DISPATCH_ENV_HANDLER,
  DISPATCH_ENV_LIFELINE_FD,
  DISPATCH_ENV_MEMORY_LIMIT_MB,
  DISPATCH_ENV_SOCKET,
} from '@dispatch/contracts';
import type { FunctionSpec } from './deployment';

/** The system's own directories: what a function finds on PATH besides its interpreter's. */
const SYSTEM_PATH = ['/usr/local/bin', '/usr/bin', '/bin'];

/**
 * A worker's PATH: the directory of the interpreter it runs (so a function starting `python3` or
 * `node` gets the same one), then the system's directories. Never the provider's PATH: the
 * interpreter was resolved at start (runtime-interpreters.ts), so version managers' shims and
 * whatever else the operator's PATH holds stay out of functions.
 */
export function workerPath(interpreter: string): string {
  const dirs = isAbsolute(interpreter) ? [dirname(interpreter), ...SYSTEM_PATH] : SYSTEM_PATH;
  return [...new Set(dirs)].join(':');
}

/**
 * The environment of a worker: the deployment's variables, PATH (see workerPath), the provider's
 * LANG, a private HOME and TMPDIR, and what the shim contract needs. Nothing else of the provider's
 * environment: it holds database URLs and keys. The provider's variables come last so a deployment
 * cannot redirect the shim (its socket, code dir, lifeline or PATH lookup of the runtime).
 */
export function workerEnv(
  spec: FunctionSpec,
  where: { socketPath: string; home: string; lifelineFd: number; interpreter: string },
  host: NodeJS.ProcessEnv,
): Record<string, string> {
  const env: Record<string, string> = { ...spec.envVars };
  env['PATH'] = workerPath(where.interpreter);
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
