import { spawn, type ChildProcess } from 'node:child_process';
import type { JsonWebKey } from 'node:crypto';
import path from 'node:path';

/** What idp-server.mjs reads from DISPATCH_TEST_IDP_CONFIG. */
export interface IdpProcessConfig {
  /** 0 for any free port; a rotation restarts on the port the previous process had. */
  port: number;
  /** Private JWKs; for each algorithm the provider signs with the first key of that type. */
  keys: JsonWebKey[];
  clientSecret: string;
  adminToken: string;
}

// Kept next to this file and run from source: the build compiles only .ts, so dist/ has no copy,
// and tests always run from source.
const SERVER_SCRIPT = path.join(__dirname, 'idp-server.mjs');
const MAX_OUTPUT_CHARS = 100_000;
const STOP_GRACE_MS = 5_000;

/** One oidc-provider child process: started, watched for an unexpected exit, stopped. */
export class IdpProcess {
  private out = '';
  private stopping = false;
  private readonly exited: Promise<void>;
  private port_ = 0;

  private constructor(private readonly child: ChildProcess) {
    // 'close' (not 'exit'): by then stdout/stderr are drained, so `out` is complete. A spawn
    // failure emits only 'error'.
    this.exited = new Promise<void>((resolve) => {
      child.once('close', () => resolve());
      child.once('error', () => resolve());
    });
    const append = (chunk: Buffer) => (this.out = (this.out + chunk.toString()).slice(-MAX_OUTPUT_CHARS));
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
  }

  /** Spawns the provider and resolves once it listens; fails with its output if it exits first. */
  static async start(config: IdpProcessConfig, timeoutMs: number): Promise<IdpProcess> {
    const child = spawn(process.execPath, [SERVER_SCRIPT], {
      env: { ...process.env, DISPATCH_TEST_IDP_CONFIG: JSON.stringify(config) },
      // stdin stays open as a lifeline: the child exits when this process goes away.
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const idp = new IdpProcess(child);
    try {
      idp.port_ = await idp.readyPort(timeoutMs);
      return idp;
    } catch (err) {
      await idp.stop();
      throw err;
    }
  }

  get port(): number {
    return this.port_;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Everything the provider printed (the last 100 kB). */
  output(): string {
    return this.out;
  }

  /** Throws, with the provider's output, if it exited without being asked to. */
  assertRunning(): void {
    if (!this.hasExited()) return;
    if (this.stopping) throw new Error('the test IdP was stopped');
    throw new Error(`the test IdP exited unexpectedly (${this.child.exitCode ?? this.child.signalCode}):\n${this.out}`);
  }

  /**
   * Whether the process exits within `ms`: after a refused connection, tells a crash (report its
   * output) from a transient failure.
   */
  async exitsWithin(ms: number): Promise<boolean> {
    if (this.hasExited()) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const exited = await Promise.race([this.exited.then(() => true as const), timeout]);
    clearTimeout(timer);
    return exited;
  }

  /** Terminates the provider and waits until it has exited (and so released its port). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.hasExited()) return;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), STOP_GRACE_MS)));
    const outcome = await Promise.race([this.exited, graceOver]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  private hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null || this.child.pid === undefined;
  }

  /** Resolves with the port from the provider's ready line; event-driven, bounded by `timeoutMs`. */
  private readyPort(timeoutMs: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`test IdP not ready after ${timeoutMs} ms:\n${this.out}`)), timeoutMs);
      // stdout alone: a stderr chunk landing between two stdout chunks must not split the line.
      let stdout = '';
      const onData = (chunk: Buffer) => {
        stdout += chunk.toString();
        const ready = /^\{"ready":true,"port":(\d+)\}$/m.exec(stdout);
        if (ready) finish(undefined, Number(ready[1]));
      };
      const onExit = () =>
        finish(new Error(`test IdP exited (${this.child.exitCode ?? this.child.signalCode}) before it was ready:\n${this.out}`));
      const onError = (err: Error) => finish(new Error(`could not spawn the test IdP: ${err.message}`));
      const finish = (err?: Error, port?: number) => {
        clearTimeout(timer);
        this.child.stdout?.off('data', onData);
        this.child.off('close', onExit);
        this.child.off('error', onError);
        if (err) reject(err);
        else resolve(port as number);
      };
      this.child.stdout?.on('data', onData);
      this.child.once('close', onExit);
      this.child.once('error', onError);
    });
  }
}
