import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FunctionEnvelope, FunctionReply, RuntimeShim } from '@dispatch/contracts';
import { waitFor } from '../wait-for';

export interface HttpAnswer {
  status: number;
  body: string;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ShimOptions {
  codeDir: string;
  handler: string;
  /** TCP port instead of a unix socket. */
  port?: number;
  /** Socket path; a fresh one in the suite's temp dir by default. */
  socket?: string;
  env?: Record<string, string>;
  /**
   * Give the shim a lifeline on fd 3 (`DISPATCH_LIFELINE_FD`), as faas-local does; default true.
   * `cutLifeline()` then closes the test's end, as the death of a provider would.
   */
  lifeline?: boolean;
  /** Lead a process group of its own, as faas-local starts workers; default false. */
  ownGroup?: boolean;
}

/** One shim process, spoken to over its socket (or port) with a keep-alive agent of its own. */
export class ShimProcess {
  readonly exited: Promise<Exit>;
  private stdout = '';
  private stderr = '';
  private readonly agent = new Agent({ keepAlive: true });

  constructor(
    readonly child: ChildProcess,
    readonly target: { socket: string } | { port: number },
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    // 'close', not 'exit': by then stdout and stderr are complete.
    this.exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Closes this end of the shim's lifeline: to the shim, its starter just died. */
  cutLifeline(): void {
    const line = this.child.stdio[3];
    if (!line) throw new Error('this shim was started without a lifeline');
    line.destroy();
  }

  output(): { stdout: string; stderr: string } {
    return { stdout: this.stdout, stderr: this.stderr };
  }

  /** POST / with the envelope; fails unless the shim answers 200 with JSON. */
  async call(envelope: Partial<FunctionEnvelope>): Promise<FunctionReply> {
    const answer = await this.request('POST', '/', JSON.stringify({ context: {}, payload: null, ...envelope }));
    if (answer.status !== 200) throw new Error(`shim answered ${answer.status}: ${answer.body}`);
    return JSON.parse(answer.body) as FunctionReply;
  }

  request(method: string, urlPath: string, body?: string, options: { chunked?: boolean } = {}): Promise<HttpAnswer> {
    const where = 'socket' in this.target ? { socketPath: this.target.socket } : { host: '127.0.0.1', port: this.target.port };
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (body !== undefined && !options.chunked) headers['content-length'] = Buffer.byteLength(body);
    return new Promise((resolve, reject) => {
      const req = request({ ...where, method, path: urlPath, agent: this.agent, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Sends `signal` and resolves with how the process ended; SIGKILLs it after `deadlineMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', deadlineMs = 10_000): Promise<Exit> {
    if (this.running) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), deadlineMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
      this.agent.destroy();
    }
  }
}

/** Starts shims of one runtime in a temp dir of their own and stops them all at the end. */
export class ShimLauncher {
  private dir = '';
  private count = 0;
  private readonly started = new Set<ShimProcess>();

  constructor(private readonly runtime: RuntimeShim) {}

  async setUp(): Promise<void> {
    // Short: a unix socket path must fit in 107 bytes.
    this.dir = await mkdtemp(path.join(tmpdir(), 'dsh-'));
  }

  async tearDown(): Promise<void> {
    await Promise.all([...this.started].map((shim) => shim.stop('SIGKILL')));
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  /** A path in the suite's temp dir. */
  path(name: string): string {
    return path.join(this.dir, name);
  }

  /** Spawns a shim without waiting for it. */
  spawn(options: ShimOptions): ShimProcess {
    const { command, args } = this.runtime.command({});
    const target = options.port !== undefined ? { port: options.port } : { socket: options.socket ?? this.path(`s${++this.count}.sock`) };
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DISPATCH_CODE_DIR: options.codeDir,
      DISPATCH_HANDLER: options.handler,
      ...('socket' in target ? { DISPATCH_SOCKET: target.socket } : { PORT: String(target.port) }),
      ...options.env,
    };
    if (!('socket' in target)) delete env.DISPATCH_SOCKET;
    const lifeline = options.lifeline ?? true;
    if (lifeline) env.DISPATCH_LIFELINE_FD = '3';
    else delete env.DISPATCH_LIFELINE_FD;
    const stdio: StdioOptions = lifeline ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'];
    const shim = new ShimProcess(
      spawn(command, args, { env: { ...env, ...options.env }, stdio, detached: options.ownGroup ?? false }),
      target,
    );
    this.started.add(shim);
    return shim;
  }

  /** Spawns a shim and waits until its health check answers; fails with its output if it exits first. */
  async start(options: ShimOptions): Promise<ShimProcess> {
    const shim = this.spawn(options);
    await waitFor(async () => !shim.running || (await shim.request('GET', '/_/health')).status === 200, {
      timeoutMs: 10_000,
      what: `the ${this.runtime.runtime} shim to answer its health check`,
    });
    if (!shim.running) {
      const { code } = await shim.exited;
      throw new Error(`the shim exited with ${code} before it was ready:\n${shim.output().stderr}`);
    }
    return shim;
  }

  /** Spawns a shim expected to exit on its own (a broken handler) and waits for it. */
  async runToExit(options: ShimOptions): Promise<Exit & { stderr: string }> {
    const shim = this.spawn(options);
    const exit = await waitFor(() => (shim.running ? undefined : shim.exited), { timeoutMs: 10_000, what: 'the shim to exit' });
    return { ...exit, stderr: shim.output().stderr };
  }
}
