/**
 * The Node.js runtime shim (DESIGN §7; the contract is FunctionEnvelope in @dispatch/contracts).
 *
 * Started as `node [--max-old-space-size=N] shim.js` (see index.ts) with:
 * - `DISPATCH_CODE_DIR`: the function's source tree; `DISPATCH_HANDLER`: `index.js`,
 *   `lib/hello.js` or `file.js:name` (CommonJS, or ES modules: `.mjs`, `"type": "module"`).
 * - `DISPATCH_SOCKET`: unix socket to listen on (a stale file is replaced, removed at exit), or
 *   else `PORT`: TCP port on 0.0.0.0 (in a container behind the OpenFaaS watchdog).
 *
 * It loads the handler once, then serves `GET /_/health` and `POST /` (one call per request,
 * concurrent calls allowed, each call's process.stdout/stderr writes, console included, captured
 * into its own reply; writes straight to the file descriptors are not seen). Exit codes:
 * 3 the handler cannot be loaded (one line `handler error: …` on stderr), 2 bad environment,
 * 1 cannot listen, 0 after SIGTERM/SIGINT once calls in flight answered (at most 5 s; a second
 * signal ends it at once), 4 at once when its lifeline (`DISPATCH_LIFELINE_FD`) closes: the process
 * that started it is gone.
 *
 * It imports nothing but Node built-ins and its sibling files: it runs inside function containers
 * where the rest of the workspace is absent. Types of @dispatch/contracts are the exception: they
 * vanish at build.
 */
import { lstatSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import type {
  DISPATCH_ENV_CODE_DIR,
  DISPATCH_ENV_HANDLER,
  DISPATCH_ENV_LIFELINE_FD,
  DISPATCH_ENV_SOCKET,
  SHIM_EXIT_HANDLER_ERROR,
  SHIM_EXIT_LIFELINE_LOST,
} from '@dispatch/contracts';
import { captureOutput, currentCall } from './call-logs';
import { watchLifeline } from './lifeline';
import { HandlerError, loadHandler } from './load-handler';
import { ShimServer } from './server';

// Values of @dispatch/contracts, copied because the shim cannot import the workspace at run time.
// Each is typed as the contract's literal, so the type check fails when the two drift apart.
const ENV_CODE_DIR: typeof DISPATCH_ENV_CODE_DIR = 'DISPATCH_CODE_DIR';
const ENV_HANDLER: typeof DISPATCH_ENV_HANDLER = 'DISPATCH_HANDLER';
const ENV_SOCKET: typeof DISPATCH_ENV_SOCKET = 'DISPATCH_SOCKET';
const ENV_LIFELINE_FD: typeof DISPATCH_ENV_LIFELINE_FD = 'DISPATCH_LIFELINE_FD';
const EXIT_HANDLER_ERROR: typeof SHIM_EXIT_HANDLER_ERROR = 3;
const EXIT_LIFELINE_LOST: typeof SHIM_EXIT_LIFELINE_LOST = 4;
const EXIT_BAD_ENVIRONMENT = 2;
const EXIT_CANNOT_LISTEN = 1;
const DRAIN_GRACE_MS = 5_000;

type ListenTarget = { socket: string } | { port: number };

class EnvironmentError extends Error {}

/**
 * What the function started (a child process) is in the worker's process group, which the worker
 * leads: with the provider gone, it goes too. Each other member is killed (found in /proc), not
 * the group at once, so this process still exits with its own code.
 */
function endOwnProcessGroup(): void {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return; // no /proc: nothing more can be done from here
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      // After the command name: state, ppid, pgrp.
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === process.pid) process.kill(pid, 'SIGKILL');
    } catch {
      // Gone meanwhile, or not ours to signal.
    }
  }
}

async function main(): Promise<void> {
  // First of all: a handler that hangs while loading must still die with the provider.
  try {
    watchLifeline(process.env[ENV_LIFELINE_FD], () => {
      endOwnProcessGroup();
      process.exit(EXIT_LIFELINE_LOST);
    });
  } catch (err) {
    throw new EnvironmentError((err as Error).message);
  }
  const target = listenTarget(process.env);
  const codeDir = required(ENV_CODE_DIR);
  const handler = required(ENV_HANDLER);
  // Before the user's module loads, so output it produces in calls is captured from the start.
  captureOutput();
  reportStrayErrors();
  const shim = new ShimServer(await loadHandler(codeDir, handler));
  await listen(shim, target);
  const stop = () => {
    // A second signal is not caught: it ends the process at once.
    process.removeListener('SIGTERM', stop);
    process.removeListener('SIGINT', stop);
    void shim.drain(DRAIN_GRACE_MS).then((abandoned) => {
      if (abandoned > 0) process.stderr.write(`dispatch shim: stopped with ${abandoned} calls unanswered after ${DRAIN_GRACE_MS} ms\n`);
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function listenTarget(env: NodeJS.ProcessEnv): ListenTarget {
  const socket = env[ENV_SOCKET];
  if (socket) return { socket };
  const port = Number(env.PORT);
  if (env.PORT && Number.isInteger(port) && port > 0 && port < 65536) return { port };
  throw new EnvironmentError(env.PORT ? `PORT=${env.PORT} is not a TCP port` : `set ${ENV_SOCKET} (a unix socket path) or PORT`);
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new EnvironmentError(`${name} is not set`);
  return value;
}

async function listen(shim: ShimServer, target: ListenTarget): Promise<void> {
  if ('socket' in target) {
    removeStaleSocket(target.socket);
    process.once('exit', () => removeStaleSocket(target.socket));
  }
  await new Promise<void>((resolve, reject) => {
    shim.server.once('error', reject);
    if ('socket' in target) shim.server.listen(target.socket, resolve);
    else shim.server.listen(target.port, '0.0.0.0', resolve);
  });
}

function removeStaleSocket(socket: string): void {
  try {
    // Only a socket: never delete a file that happens to have the name.
    if (lstatSync(socket).isSocket()) unlinkSync(socket);
  } catch {
    // Nothing there.
  }
}

/**
 * An exception no promise carries (thrown in a timer, an unhandled rejection) fails the call
 * whose async context it came from; outside any call it is reported and the shim keeps serving.
 */
function reportStrayErrors(): void {
  const onError = (err: unknown) => {
    const logs = currentCall.getStore();
    if (logs?.open) return logs.fail(err);
    process.stderr.write(`dispatch shim: error outside any call: ${err instanceof Error ? err.stack : String(err)}\n`);
  };
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
}

function exitWith(code: number, line: string): void {
  process.stderr.write(`${line.replace(/\s*\n\s*/g, ' ')}\n`, () => process.exit(code));
}

main().catch((err: unknown) => {
  if (err instanceof HandlerError) return exitWith(EXIT_HANDLER_ERROR, `handler error: ${err.message}`);
  if (err instanceof EnvironmentError) return exitWith(EXIT_BAD_ENVIRONMENT, `dispatch shim: ${err.message}`);
  exitWith(EXIT_CANNOT_LISTEN, `dispatch shim: cannot start: ${err instanceof Error ? err.message : String(err)}`);
});
