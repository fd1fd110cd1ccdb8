import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import type { RuntimeShim } from '@dispatch/contracts';
import { SHIM_EXIT_HANDLER_ERROR } from '@dispatch/contracts';
import type { Logger } from 'pino';
import { LineSplitter } from '@dispatch/util';
import type { CallRequest, CallResult } from './call';
import type { FunctionSpec } from './deployment';
import { workerAnswerHeaders } from './headers';
import type { WorkerLedger } from './leftovers';
import { type LogBuffer, LOG_LINE_MAX_LENGTH } from './log-buffer';
import { childPids } from './proc-memory';
import type { Sandbox } from './sandbox';
import { waitAtMost } from './wait';
import { workerEnv } from './worker-env';

/**
 * starting → ready → (retiring: finishes its calls, takes no new one) → stopping → exited.
 * Only `ready` workers take calls.
 */
export type WorkerState = 'starting' | 'ready' | 'retiring' | 'stopping' | 'exited';

/** How the provider ends healthy workers in its routine: scaling down, an update, a delete, its own stop. */
const ROUTINE_KILLS = ['idle', 'replaced', 'deleted', 'stop'] as const;
/**
 * Why the provider ended a worker: in its routine, or because the worker failed (a call past
 * exec_timeout, memory, never ready, a socket that refuses). Absent when the process exited on
 * its own (a crash).
 */
export type KillKind = (typeof ROUTINE_KILLS)[number] | 'timeout' | 'memory' | 'start-timeout' | 'unreachable';
export interface KillReason {
  kind: KillKind;
  message: string;
}

/** Whether the worker was ended in the provider's routine rather than for failing: neither a warning nor a start failure. */
export function isRoutineKill(reason: KillReason | undefined): boolean {
  return reason !== undefined && (ROUTINE_KILLS as readonly KillKind[]).includes(reason.kind);
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines the process wrote to stderr: why it died, when it says. */
  stderrTail: string[];
  /** The shim's `handler error: …` line, when it wrote one. */
  handlerError?: string;
}

export interface WorkerContext {
  /** The instance name in logs: `<function>-<seq>`. */
  id: string;
  seq: number;
  spec: FunctionSpec;
  generation: number;
  shim: RuntimeShim;
  sandbox: Sandbox;
  workDir: string;
  hiddenPaths: readonly string[];
  logs: LogBuffer;
  logger: Logger;
  startTimeoutMs: number;
  hostEnv: NodeJS.ProcessEnv;
  ledger: WorkerLedger;
  onReady(worker: Worker): void;
  onExit(worker: Worker): void;
}

const STDERR_TAIL_LINES = 10;
/** How long after `exit` the provider waits for the pipes to flush the last stderr lines. */
const STDIO_FLUSH_MS = 200;
/** Grace between SIGTERM and SIGKILL when a worker is stopped rather than killed. */
const STOP_GRACE_MS = 1000;
/** After a SIGKILL, how long before the provider kills the whole process group as well. */
const KILL_FALLBACK_MS = 1000;
/**
 * The worker's end of its lifeline (the shim contract's DISPATCH_LIFELINE_FD): a pipe whose other
 * end only this process holds (Node opens its own ends close-on-exec, so no other child inherits
 * them). When the provider dies, however it dies, the kernel closes that end and the shim exits.
 */
const LIFELINE_FD = 3;

/**
 * One warm process of a function: spawns the runtime shim (inside the sandbox when there is
 * one), waits for its health check, and carries calls to it over its unix socket with a
 * keep-alive agent of its own. The pool decides which calls it gets and when it ends.
 */
export class Worker {
  state: WorkerState = 'starting';
  inflight = 0;
  /** When the worker last became idle (null while busy): the scaler stops long-idle ones. */
  idleSince: number | null = null;
  pid?: number;
  /** Resident memory of the worker's process tree at the last sample. */
  rssBytes?: number;
  killReason?: KillReason;
  /** Why a retiring worker will stop once its calls are answered. */
  retireReason?: KillReason;
  exitInfo?: ExitInfo;
  readonly startedAt = Date.now();
  readyAt?: number;
  readonly exited: Promise<void>;

  private readonly agent: http.Agent;
  private readonly socketDir: string;
  private readonly socketPath: string;
  private readonly home: string;
  private markExited!: () => void;
  private readonly stderrTail: string[] = [];
  private handlerError?: string;
  private finishing = false;

  constructor(private readonly ctx: WorkerContext) {
    this.exited = new Promise((resolve) => (this.markExited = resolve));
    this.socketDir = join(ctx.workDir, 'w', String(ctx.seq));
    this.socketPath = join(this.socketDir, 's.sock');
    // Sandboxed workers get a private tmpfs /tmp as HOME; others a directory of their own.
    this.home = ctx.sandbox.kind === 'bwrap' ? '/tmp' : join(ctx.workDir, 'h', String(ctx.seq));
    // A worker's shim closes idle connections after its keepAliveTimeout (Node: 5 s): drop ours
    // first (agent `timeout` destroys free sockets) so a call never lands on a closing socket.
    this.agent = new http.Agent({ keepAlive: true, timeout: 4000 });
  }

  get id(): string {
    return this.ctx.id;
  }

  get spec(): FunctionSpec {
    return this.ctx.spec;
  }

  get generation(): number {
    return this.ctx.generation;
  }

  /** Whether it can take one more call now. */
  get hasCapacity(): boolean {
    return this.state === 'ready' && this.inflight < this.ctx.spec.maxInflight;
  }

  /** Spawns the process; every failure, even a synchronous one, ends in `exited` and onExit. */
  start(): void {
    const { spec, shim, sandbox, logs } = this.ctx;
    let child: ChildProcess;
    let command = spec.runtime;
    try {
      mkdirSync(this.socketDir, { recursive: true, mode: 0o700 });
      if (sandbox.kind !== 'bwrap') mkdirSync(this.home, { recursive: true, mode: 0o700 });
      // The runtime may throw here (its shim is not built): a start failure like any other.
      const runtime = shim.command({ memoryLimitMb: spec.memoryLimitMb });
      const wrapped = sandbox.wrap(runtime.command, runtime.args, {
        codeDir: spec.codeDir,
        socketDir: this.socketDir,
        hiddenPaths: this.ctx.hiddenPaths,
      });
      command = wrapped.command;
      child = spawn(wrapped.command, wrapped.args, {
        cwd: spec.codeDir,
        env: workerEnv(
          spec,
          { socketPath: this.socketPath, home: this.home, lifelineFd: LIFELINE_FD, interpreter: runtime.command },
          this.ctx.hostEnv,
        ),
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
        // Its own process group: a kill reaches whatever the function forked, and the terminal's
        // Ctrl-C reaches only the provider, which then drains its workers in order.
        detached: true,
      });
    } catch (err) {
      this.stderrTail.push(`cannot start ${command}: ${err instanceof Error ? err.message : String(err)}`);
      void this.finish(null, null, Promise.resolve());
      return;
    }
    this.pid = child.pid;
    if (child.pid !== undefined) this.ctx.ledger.add(child.pid);
    // Nothing is read from or written to the lifeline; a reset of it must not crash the provider.
    child.stdio[LIFELINE_FD]?.on('error', () => undefined);
    // A process writing megabytes without a newline must not grow the splitters without bound.
    const bounded = { maxLineLength: LOG_LINE_MAX_LENGTH };
    const stdout = new LineSplitter((line) => logs.append(this.id, line), bounded);
    const stderr = new LineSplitter((line) => {
      logs.append(this.id, line);
      if (line.startsWith('handler error:')) this.handlerError = line;
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
    }, bounded);
    child.stdout?.on('data', (chunk: Buffer) => stdout.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.write(chunk));
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    child.once('error', (err) => {
      // spawn failed (no such runtime binary): no exit event follows.
      if (child.pid === undefined) {
        this.stderrTail.push(`cannot start ${command}: ${err.message}`);
        void this.finish(null, null, Promise.resolve());
      }
    });
    child.once('exit', (code, signal) => {
      // Something the function started may still hold the worker's end: ours goes now, so no
      // descriptor is kept per worker gone and 'close' does not wait on it.
      child.stdio[LIFELINE_FD]?.destroy();
      void this.finish(code, signal, closed, () => {
        stdout.end();
        stderr.end();
      });
    });
    logs.append(
      this.id,
      `worker starting (pid ${child.pid ?? '?'}, runtime ${spec.runtime}, ${sandbox.kind === 'bwrap' ? 'sandboxed by bwrap' : 'not sandboxed'})`,
    );
    void this.awaitHealthy();
  }

  /** Carries one call to the shim and reads its whole answer. */
  send(request: CallRequest, retry = true): Promise<CallResult> {
    return new Promise((resolve, reject) => {
      const upstream = http.request({
        socketPath: this.socketPath,
        agent: this.agent,
        method: request.method,
        path: request.path,
        headers: request.headers,
      });
      upstream.once('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () => {
          resolve({
            status: res.statusCode ?? 502,
            headers: workerAnswerHeaders(res.headers),
            body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
          });
        });
        res.once('close', () => {
          if (!res.complete) reject(new Error('the function closed the connection in the middle of its answer'));
        });
      });
      upstream.once('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive socket the shim closed just as it was reused: the request never reached
        // the handler, so sending it again is safe (and it is the only case that is).
        if (
          retry &&
          upstream.reusedSocket &&
          (err.code === 'ECONNRESET' || err.code === 'EPIPE') &&
          this.state !== 'exited' &&
          !this.killReason
        ) {
          this.send(request, false).then(resolve, reject);
        } else {
          reject(err);
        }
      });
      upstream.end(request.body);
    });
  }

  /** Takes no new call; stops once the calls it serves are answered (an update, a delete). */
  retire(reason: KillReason): void {
    if (this.state === 'starting') return this.stop(reason);
    if (this.state !== 'ready') return;
    if (this.inflight === 0) return this.stop(reason);
    this.state = 'retiring';
    this.retireReason = reason;
  }

  /** Ends the worker at once (SIGKILL); its calls fail with `reason`. */
  kill(reason: KillReason): void {
    if (this.state === 'exited') return;
    this.killReason ??= reason;
    this.state = 'stopping';
    this.signal('SIGKILL');
    this.killGroupLater(KILL_FALLBACK_MS);
  }

  /** Ends an idle worker politely: SIGTERM, then SIGKILL after a grace period. */
  stop(reason: KillReason): void {
    if (this.state === 'exited' || this.state === 'stopping') return;
    this.killReason ??= reason;
    this.state = 'stopping';
    this.signal('SIGTERM');
    const timer = setTimeout(() => {
      this.signal('SIGKILL');
      this.killGroupLater(KILL_FALLBACK_MS);
    }, STOP_GRACE_MS);
    timer.unref();
    void this.exited.then(() => clearTimeout(timer));
  }

  /** Synchronous last resort when the provider's process exits without stop(). */
  killNow(): void {
    if (this.pid === undefined || this.state === 'exited') return;
    this.signal('SIGKILL');
    this.signalGroup(this.pid, 'SIGKILL');
  }

  /** If the process is still there after `ms` (a sandbox that did not fold), SIGKILL its whole group. */
  private killGroupLater(ms: number): void {
    const timer = setTimeout(() => {
      if (this.pid !== undefined && this.state !== 'exited') this.signalGroup(this.pid, 'SIGKILL');
    }, ms);
    timer.unref();
    void this.exited.then(() => clearTimeout(timer));
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.pid === undefined || this.state === 'exited') return;
    if (this.ctx.sandbox.kind === 'bwrap' && this.signalSandbox(this.pid, signal)) return;
    this.signalGroup(this.pid, signal);
  }

  private signalGroup(pid: number, signal: NodeJS.Signals): void {
    try {
      process.kill(-pid, signal);
    } catch {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
  }

  /**
   * A sandboxed worker is bwrap → bwrap (init of its pid namespace) → runtime. SIGTERM goes to
   * the processes inside (the namespace's init ignores it; the runtime drains and exits), SIGKILL
   * to the namespace's init, which takes the namespace down with it and is reaped by the outer
   * bwrap. Killing the outer bwrap first would orphan the inner processes as zombies of whatever
   * reaps orphans here. Returns false when there is nothing inside yet (then the caller signals bwrap).
   */
  private signalSandbox(pid: number, signal: NodeJS.Signals): boolean {
    const inits = childPids(pid);
    const targets = signal === 'SIGKILL' ? inits : inits.flatMap((init) => [init, ...childPids(init)]);
    let sent = false;
    for (const target of targets) {
      try {
        process.kill(target, signal);
        sent = true;
      } catch {
        // gone meanwhile
      }
    }
    return sent;
  }

  private async awaitHealthy(): Promise<void> {
    const deadline = this.startedAt + this.ctx.startTimeoutMs;
    let delay = 5;
    while (this.state === 'starting') {
      if (Date.now() > deadline) {
        this.kill({
          kind: 'start-timeout',
          message: `not ready: GET /_/health did not answer 200 within ${this.ctx.startTimeoutMs / 1000} s`,
        });
        return;
      }
      const status = await this.probeHealth();
      if (this.state !== 'starting') return;
      if (status === 200) {
        this.state = 'ready';
        this.readyAt = this.idleSince = Date.now();
        this.ctx.logs.append(this.id, `worker ready in ${this.readyAt - this.startedAt} ms`);
        this.ctx.onReady(this);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 50);
    }
  }

  private probeHealth(): Promise<number | undefined> {
    return new Promise((resolve) => {
      const req = http.get({ socketPath: this.socketPath, path: '/_/health', agent: false, timeout: 2000 }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.once('timeout', () => req.destroy());
      req.once('error', () => resolve(undefined));
    });
  }

  private async finish(code: number | null, signal: NodeJS.Signals | null, closed: Promise<void>, flush?: () => void): Promise<void> {
    // A failed spawn may report both `error` and `exit`.
    if (this.finishing) return;
    this.finishing = true;
    await waitAtMost(closed, STDIO_FLUSH_MS);
    flush?.();
    this.state = 'exited';
    if (this.pid !== undefined) this.ctx.ledger.remove(this.pid);
    this.exitInfo = { code, signal, stderrTail: [...this.stderrTail], handlerError: this.handlerError };
    this.agent.destroy();
    for (const dir of [this.socketDir, this.ctx.sandbox.kind === 'bwrap' ? undefined : this.home]) {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
    const line = `worker ${this.exitSummary()}`;
    this.ctx.logs.append(this.id, line);
    this.ctx.logger[isRoutineKill(this.killReason) ? 'debug' : 'warn'](
      { function: this.ctx.spec.name, worker: this.id, code, signal },
      line,
    );
    this.markExited();
    this.ctx.onExit(this);
  }

  /** How the process ended, for logs and start-failure messages: `exited with code 3: handler error: …`. */
  exitSummary(): string {
    if (this.killReason) return `${isRoutineKill(this.killReason) ? 'was stopped' : 'was killed'}: ${this.killReason.message}`;
    const info = this.exitInfo;
    if (!info) return 'is running';
    const last = info.stderrTail.at(-1);
    if (info.code === SHIM_EXIT_HANDLER_ERROR) return `exited with code ${info.code}: ${info.handlerError ?? last ?? 'handler error'}`;
    const how = info.code !== null ? `exited with code ${info.code}` : info.signal ? `was killed by ${info.signal}` : 'could not start';
    return `${how}${last ? `: ${last}` : ''}`;
  }
}
