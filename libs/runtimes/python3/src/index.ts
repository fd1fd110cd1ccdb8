import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RuntimeShim } from '@dispatch/contracts';

const SHIM_IN_LIB = 'dispatch_runtime/shim.py';

/**
 * Where the shim's Python files are: they live in the repo, never in dist/ (the build compiles
 * only TypeScript), so both this file's source and compiled locations lead back to the lib.
 */
export function python3ShimCandidates(dir: string = __dirname): string[] {
  const fromSource = path.resolve(dir, '..', SHIM_IN_LIB);
  // dist/libs/runtimes/python3/src → the repo root is five levels up.
  const fromDist = path.resolve(dir, '../../../../..', 'libs/runtimes/python3', SHIM_IN_LIB);
  return [fromSource, fromDist];
}

/**
 * The shim's entry script. It needs the rest of its `dispatch_runtime` directory (and the Python
 * standard library) and nothing else, so an image can copy that one directory.
 */
export function python3ShimPath(dir: string = __dirname, exists: (file: string) => boolean = existsSync): string {
  const candidates = python3ShimCandidates(dir);
  const found = candidates.find((file) => exists(file));
  if (found === undefined) throw new Error(`the Python runtime shim is missing (looked for ${candidates.join(', ')})`);
  return found;
}

/**
 * Starts a Python function: see dispatch_runtime/shim.py for the environment it reads. The
 * interpreter is `DISPATCH_PYTHON`, else `python3` from PATH, resolved once to its real executable
 * (`interpreter`). `-u`: output outside calls is not held in a buffer; `-B`: importing the function
 * writes no __pycache__ into its (content-addressed) code tree.
 *
 * `memoryLimitMb` is not part of the command: Python has no heap flag, so the provider passes the
 * limit as `DISPATCH_MEMORY_LIMIT_MB` and the shim caps its own address space.
 */
export const python3Runtime: RuntimeShim = {
  runtime: 'python3',
  interpreter: (env) => pythonExecutable(env.DISPATCH_PYTHON || 'python3', env),
  command({ interpreter }) {
    return { command: interpreter ?? (process.env.DISPATCH_PYTHON || 'python3'), args: ['-u', '-B', python3ShimPath()] };
  },
};

/** How long finding the interpreter may take: a pyenv shim runs a few shell scripts first. */
const LOCATE_TIMEOUT_MS = 10_000;

/**
 * The real executable behind `python` (`sys.executable`), asked of Python itself: `python3` on
 * PATH is often a version manager's shim (pyenv) that works only with that manager's variables.
 */
export function pythonExecutable(python: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(python, ['-c', 'import sys; print(sys.executable)'], { env, timeout: LOCATE_TIMEOUT_MS }, (err, stdout, stderr) => {
      const found = stdout.trim();
      if (err || !path.isAbsolute(found)) {
        const why = err ? stderr.trim() || err.message : `it printed ${JSON.stringify(found)} as sys.executable`;
        reject(new Error(`cannot find the Python interpreter (${python}): ${why}; install Python 3 or set DISPATCH_PYTHON`));
      } else {
        resolve(found);
      }
    });
  });
}
