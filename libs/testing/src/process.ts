import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Started {
  child: ChildProcess;
  /** Milliseconds from spawn until `readyUrl` answered 200. */
  readyAfterMs: number;
  output(): string;
  /**
   * Sends `signal` (default SIGINT) — to the whole process group when started `detached`, as a
   * terminal's Ctrl-C does — and resolves with the exit code; SIGKILLs after `deadlineMs`.
   */
  stop(signal?: NodeJS.Signals, deadlineMs?: number): Promise<number | null>;
}

export interface StartOptions {
  timeoutMs?: number;
  /** Own process group, so stop() signals the process and its children together. */
  detached?: boolean;
}

/** Spawns a Node process and waits (bounded) until `readyUrl` answers 200. */
export async function startProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  readyUrl: string,
  options: StartOptions | number = {},
): Promise<Started> {
  const { timeoutMs = 60_000, detached = false } = typeof options === 'number' ? { timeoutMs: options } : options;
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached });
  const signal = (sig: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (detached && child.pid) process.kill(-child.pid, sig);
    else child.kill(sig);
  };
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode} before it was ready:\n${out}`);
    if (performance.now() - t0 > timeoutMs) {
      signal('SIGKILL');
      throw new Error(`not ready after ${timeoutMs} ms:\n${out}`);
    }
    try {
      if ((await fetch(readyUrl)).status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const readyAfterMs = performance.now() - t0;
  return {
    child,
    readyAfterMs,
    output: () => out,
    async stop(sig: NodeJS.Signals = 'SIGINT', deadlineMs = 30_000) {
      signal(sig);
      const timer = setTimeout(() => signal('SIGKILL'), deadlineMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export interface Exited {
  code: number | null;
  /** All it wrote to stderr. */
  stderr: string;
}

/**
 * Runs a Node process that should stop on its own, e.g. a server refusing its configuration, and
 * resolves with its exit code and stderr. `env` is its whole environment: nothing is inherited from
 * the test runner, whose variables could otherwise make a start succeed that a test expects to
 * fail. A process still running after `timeoutMs` is killed and the call rejects.
 */
export async function runToExit(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<Exited> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`process still running after ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    // 'close', not 'exit': stderr may still hold unread output when the process exits.
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
