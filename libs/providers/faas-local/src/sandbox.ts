import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join } from 'node:path';

/** `auto`: bubblewrap when it works here; `off`: never; `required`: refuse to start without it. */
export type SandboxMode = 'auto' | 'off' | 'required';

/** What one worker's sandbox exposes besides a read-only view of the host. */
export interface SandboxMounts {
  /** The function's code tree, bound read-only (the images root around it stays hidden). */
  codeDir: string;
  /** The directory of the worker's socket, bound read-write: the provider connects through it. */
  socketDir: string;
  /** Paths replaced by an empty tmpfs (the data dir with its keys and database, other workers' sockets). */
  hiddenPaths: readonly string[];
  /** Directories bound back read-only after the masks: the runtime's own files (its shim may live under /tmp or a hidden path). */
  runtimePaths?: readonly string[];
}

export interface Sandbox {
  kind: 'bwrap' | 'none';
  /** Why workers run unsandboxed (kind none). */
  reason?: string;
  /** The command that runs `command args` inside the sandbox (unchanged without one). */
  wrap(command: string, args: readonly string[], mounts: SandboxMounts): { command: string; args: string[] };
}

/** Namespaces and lifetime flags, shared by the probe and the workers so the probe proves what workers need. */
const ISOLATION_FLAGS = ['--unshare-pid', '--unshare-ipc', '--new-session', '--die-with-parent'];
const BASE_MOUNTS = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'];
/** setpriv's flags tying an unsandboxed worker to the provider (see findParentDeathSignal). */
const PARENT_DEATH_FLAGS = ['--pdeathsig', 'KILL'];

/**
 * bubblewrap's arguments for one worker: the host read-only, a private /tmp (the worker's HOME),
 * the hidden paths masked by empty tmpfs mounts, then the code tree (read-only) and the socket
 * directory (read-write) bound back in. Order matters: bwrap applies mounts in sequence, so the
 * binds come after the masks that may cover them. `--die-with-parent` ties the sandbox to the
 * provider: if the provider is killed outright, its functions die with it.
 */
export function bwrapArgs(command: string, args: readonly string[], mounts: SandboxMounts): string[] {
  const hidden = [...new Set(mounts.hiddenPaths)].sort((a, b) => a.length - b.length);
  return [
    ...BASE_MOUNTS,
    ...hidden.flatMap((path) => ['--tmpfs', path]),
    ...(mounts.runtimePaths ?? []).flatMap((path) => ['--ro-bind', path, path]),
    '--ro-bind',
    mounts.codeDir,
    mounts.codeDir,
    '--bind',
    mounts.socketDir,
    mounts.socketDir,
    '--chdir',
    mounts.codeDir,
    ...ISOLATION_FLAGS,
    '--',
    command,
    ...args,
  ];
}

export function findOnPath(program: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * The directories of the files a runtime command names (the interpreter, the shim script): the
 * private /tmp or a hidden path would otherwise mask them (a checkout under /tmp, a shim inside
 * the data dir). The shims need only their own directory.
 */
export function runtimeDirs(command: string, args: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const candidate of [command, ...args]) {
    if (!isAbsolute(candidate)) continue;
    const stats = statSync(candidate, { throwIfNoEntry: false });
    if (!stats) continue;
    const dir = stats.isDirectory() ? candidate : dirname(candidate);
    if (dir !== '/') dirs.add(dir);
  }
  return [...dirs];
}

/** Runs bwrap once with the workers' flags: it is installed in many containers that forbid user namespaces. */
async function probeBwrap(bwrap: string, path: string | undefined): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(bwrap, [...BASE_MOUNTS, ...ISOLATION_FLAGS, '--', 'true'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: path ?? '/usr/bin:/bin' },
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve(err.message);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? undefined : stderr.trim() || `exit ${code ?? signal}`);
    });
  });
}

/**
 * Without bubblewrap, `setpriv --pdeathsig KILL` (util-linux) gives a worker what bwrap's
 * `--die-with-parent` gives a sandboxed one: the kernel SIGKILLs it when the provider dies. The
 * lifeline does the same for a shim that gets to read it; this covers one that cannot (a Node.js
 * function spinning on its only thread never reads again). Returns setpriv's path when it works here.
 */
async function findParentDeathSignal(path: string | undefined): Promise<string | undefined> {
  const setpriv = findOnPath('setpriv', path);
  if (!setpriv) return undefined;
  return new Promise((resolve) => {
    const child = spawn(setpriv, [...PARENT_DEATH_FLAGS, '--', 'true'], { stdio: 'ignore', env: { PATH: path ?? '/usr/bin:/bin' } });
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('error', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? setpriv : undefined);
    });
  });
}

const unsandboxed = (reason: string, setpriv: string | undefined): Sandbox => ({
  kind: 'none',
  reason,
  wrap: (command, args) =>
    setpriv ? { command: setpriv, args: [...PARENT_DEATH_FLAGS, '--', command, ...args] } : { command, args: [...args] },
});

/**
 * Finds out once, at start, whether workers can run inside bubblewrap. Without it they run as
 * plain processes of the provider's user: the caller logs `reason` as a warning.
 */
export async function detectSandbox(mode: SandboxMode, path: string | undefined = process.env['PATH']): Promise<Sandbox> {
  if (mode === 'off') return unsandboxed('the sandbox is turned off (sandbox: off)', await findParentDeathSignal(path));
  const bwrap = findOnPath('bwrap', path);
  const problem = bwrap
    ? await probeBwrap(bwrap, path).then(
        (failure) => failure && `bubblewrap (${bwrap}) is installed but cannot create a sandbox here: ${failure}`,
      )
    : 'bubblewrap (bwrap) not found; install it (apt-get install bubblewrap) to isolate them';
  if (problem || !bwrap) {
    const reason = problem ?? 'bubblewrap not found';
    if (mode === 'required') throw new Error(`faas-local: a sandbox is required but ${reason}`);
    return unsandboxed(reason, await findParentDeathSignal(path));
  }
  return {
    kind: 'bwrap',
    wrap: (command, args, mounts) => ({
      command: bwrap,
      args: bwrapArgs(command, args, {
        ...mounts,
        // A masked path must exist for bwrap to mount over it; a missing one hides nothing anyway.
        hiddenPaths: mounts.hiddenPaths.filter((p) => existsSync(p)),
        runtimePaths: runtimeDirs(command, args),
      }),
    }),
  };
}
