import type { OpenFaasFunctionStatus, ProviderFailure, RuntimeShim } from '@dispatch/contracts';
import type { Logger } from 'pino';
import { type CallRequest, type CallResult, failureResult } from './call';
import type { FunctionSpec } from './deployment';
import { Fifo } from './fifo';
import { MIB } from './limits';
import { LogBuffer } from './log-buffer';
import type { WorkerLedger } from './leftovers';
import { FunctionStats } from './metrics';
import { processTreeRssBytes } from './proc-memory';
import type { Sandbox } from './sandbox';
import { planScaling } from './scaler';
import { waitAtMost } from './wait';
import { Worker, isRoutineKill, type KillReason } from './worker';

/** What every pool shares: the provider's settings and services. */
export interface PoolContext {
  sandbox: Sandbox;
  workDir: string;
  hiddenPaths: readonly string[];
  logger: Logger;
  hostEnv: NodeJS.ProcessEnv;
  /** Where running workers are recorded, for the next start to end any that outlive the provider. */
  ledger: WorkerLedger;
  shimOf(runtime: string): RuntimeShim;
  nextSeq(): number;
  startTimeoutMs: number;
  idleDelayMs: number;
  maxQueueLength: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  logLines: number;
}

interface Waiter {
  call: CallRequest;
  resolve(result: CallResult): void;
}

/** How often a call that reached no worker (refused connection) goes back to the queue. */
const MAX_REQUEUES = 2;
/** How long a failed call waits for its worker's exit to learn why it died (crash or memory). */
const EXIT_WAIT_MS = 300;

const seconds = (ms: number) => `${+(ms / 1000).toFixed(3)}s`;
const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));

/**
 * The warm workers of one function and the FIFO queue of calls waiting for one of them. A call
 * goes to the least busy ready worker with a free slot (max_inflight), else waits; the scaler
 * starts workers for waiting calls and stops idle ones. An update starts a new generation of
 * workers; the old one keeps serving until the first new worker is ready, then finishes its calls
 * and stops, so no call fails during an update.
 */
export class FunctionPool {
  spec: FunctionSpec;
  generation = 1;
  /** Desired replicas: scale.min at deploy, then what scale-function set; 0 = scaled to zero. */
  floor: number;
  readonly workers: Worker[] = [];
  readonly logs: LogBuffer;
  readonly stats = new FunctionStats();
  readonly createdAt = new Date();

  private readonly queue = new Fifo<Waiter>();
  /** Why the last worker of the current generation failed to become ready (cleared by a ready one). */
  private startFailure?: string;
  private backoffMs: number;
  private startBlockedUntil = 0;
  private closing?: 'deleted' | 'stopping';
  private drainWaiters: Array<() => void> = [];

  constructor(
    spec: FunctionSpec,
    private readonly ctx: PoolContext,
  ) {
    this.spec = spec;
    this.floor = spec.minReplicas;
    this.backoffMs = ctx.backoffInitialMs;
    this.logs = new LogBuffer(spec.name, spec.namespace, ctx.logLines);
  }

  get name(): string {
    return this.spec.name;
  }

  get queueLength(): number {
    return this.queue.length;
  }

  /** Whether one more call can be accepted now (the async route answers 202 only then). */
  get canQueue(): boolean {
    return !this.closing && this.queue.length < this.ctx.maxQueueLength;
  }

  /** Runs one call on a worker, waiting in the queue for a free one; never rejects. */
  invoke(call: CallRequest): Promise<CallResult> {
    const worker = this.pick();
    if (worker) return this.run(worker, call);
    if (this.closing)
      return Promise.resolve(
        failureResult(503, 'unavailable', `function ${this.name} is ${this.closing === 'deleted' ? 'being deleted' : 'stopping'}`),
      );
    if (this.startFailure && !this.hasServingOrStarting() && Date.now() < this.startBlockedUntil) {
      return Promise.resolve(this.cannotStart());
    }
    if (this.queue.length >= this.ctx.maxQueueLength) {
      return Promise.resolve(
        failureResult(429, 'unavailable', `function ${this.name} has ${this.queue.length} calls waiting, the most it queues: retry later`),
      );
    }
    return new Promise((resolve) => {
      this.queue.push({ call, resolve });
      this.reconcile();
    });
  }

  /**
   * Starts the floor's workers after a deploy or an update. At floor 0 one worker starts anyway
   * and idles out later, as faas-netes starts one replica of a scale.min=0 function: its
   * readiness shows, and a handler that cannot load is reported now rather than at the first call.
   */
  start(): void {
    if (
      this.floor === 0 &&
      !this.workers.some((w) => w.generation === this.generation && (w.state === 'starting' || w.state === 'ready'))
    ) {
      this.startWorker();
    }
    this.reconcile();
  }

  /** Replaces the spec (PUT): a new generation of workers takes over from the current one. */
  update(spec: FunctionSpec): void {
    this.spec = spec;
    this.generation++;
    // Keep a scale-to-zero and a scale-function choice; only the new bounds apply.
    this.floor = this.floor === 0 ? 0 : clamp(this.floor, spec.minReplicas, spec.maxReplicas);
    this.startFailure = undefined;
    this.backoffMs = this.ctx.backoffInitialMs;
    this.startBlockedUntil = 0;
    for (const w of this.workers) {
      if (w.generation !== this.generation && w.state === 'starting')
        w.stop({ kind: 'replaced', message: 'replaced by an update before it was ready' });
    }
    this.logs.append('faas-local', `updated: image ${spec.image}, new workers replace the current ones once ready`);
    this.start();
  }

  /** scale-function: 0 scales to zero; other counts are kept within [scale.min, scale.max]. */
  scale(replicas: number): void {
    this.floor = replicas === 0 ? 0 : clamp(replicas, this.spec.minReplicas, this.spec.maxReplicas);
    this.reconcile(true);
  }

  /** DELETE: waiting calls get 410; calls in flight finish, then every worker stops. */
  delete(): Promise<void> {
    this.closing = 'deleted';
    this.failQueued(410, 'unavailable', `function ${this.name} was deleted before the call could run`);
    for (const w of this.workers) w.retire({ kind: 'deleted', message: 'the function was deleted' });
    this.logs.close();
    return this.allExited();
  }

  /** Provider stop: serves what was accepted for up to `drainMs`, then ends every worker. */
  async shutdown(drainMs: number): Promise<void> {
    this.closing ??= 'stopping';
    if (!this.isDrained()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, drainMs);
        this.drainWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    this.failQueued(503, 'unavailable', `the provider stopped before function ${this.name} could run the call`);
    for (const w of this.workers) {
      if (w.inflight > 0) w.kill({ kind: 'stop', message: 'the provider stopped' });
      else w.stop({ kind: 'stop', message: 'the provider stopped' });
    }
    this.logs.close();
    await this.allExited();
  }

  /** Called by the provider's monitor every few hundred ms: memory limits, idle workers, back-off expiry. */
  tick(): void {
    for (const w of this.workers) {
      if (w.pid === undefined || w.state === 'exited' || w.state === 'stopping') continue;
      const rss = processTreeRssBytes(w.pid);
      if (rss === undefined) continue;
      w.rssBytes = rss;
      const limit = w.spec.memoryLimitBytes;
      if (limit !== undefined && rss > limit) {
        w.kill({ kind: 'memory', message: `memory limit of ${w.spec.memoryLimitMb} MiB exceeded (resident ${Math.round(rss / MIB)} MiB)` });
      }
    }
    this.reconcile();
  }

  status(): OpenFaasFunctionStatus {
    const d = this.spec.deployment;
    let available = 0;
    let live = 0;
    let memory = 0;
    for (const w of this.workers) {
      if (w.state === 'ready') available++;
      if (w.generation === this.generation && (w.state === 'ready' || w.state === 'starting')) live++;
      if (w.state !== 'exited') memory += w.rssBytes ?? 0;
    }
    const status: OpenFaasFunctionStatus = {
      name: this.spec.name,
      image: this.spec.image,
      namespace: this.spec.namespace,
      envVars: d.envVars ?? {},
      labels: d.labels ?? {},
      annotations: d.annotations ?? {},
      invocationCount: this.stats.invocationCount,
      replicas: Math.max(this.floor, live),
      availableReplicas: available,
      createdAt: this.createdAt.toISOString(),
      usage: { totalMemoryBytes: memory },
    };
    if (d.envProcess !== undefined) status.envProcess = d.envProcess;
    if (d.constraints !== undefined) status.constraints = d.constraints;
    if (d.secrets !== undefined) status.secrets = d.secrets;
    if (d.limits !== undefined) status.limits = d.limits;
    if (d.requests !== undefined) status.requests = d.requests;
    if (d.readOnlyRootFilesystem !== undefined) status.readOnlyRootFilesystem = d.readOnlyRootFilesystem;
    return status;
  }

  /** Ends every worker at once, synchronously: the provider's process is exiting. */
  killNow(): void {
    for (const w of this.workers) w.killNow();
  }

  private pick(): Worker | undefined {
    let best: Worker | undefined;
    for (const w of this.workers) {
      if (!w.hasCapacity) continue;
      // The first idle worker in start order: packing calls onto the oldest workers lets the
      // extra ones go idle and be stopped.
      if (w.inflight === 0) return w;
      if (!best || w.inflight < best.inflight) best = w;
    }
    return best;
  }

  private run(worker: Worker, call: CallRequest): Promise<CallResult> {
    worker.inflight++;
    worker.idleSince = null;
    const spec = worker.spec;
    return new Promise<CallResult>((resolve) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const settle = (result: CallResult) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        resolve(result);
      };
      if (spec.execTimeoutMs > 0) {
        timer = setTimeout(() => {
          settle(
            failureResult(
              504,
              'timeout',
              `function ${spec.name} did not answer within its exec_timeout of ${seconds(spec.execTimeoutMs)}: the call was stopped and its worker replaced`,
            ),
          );
          // The handler may be stuck in a loop: only a new process frees the slot for sure.
          worker.kill({ kind: 'timeout', message: `a call exceeded exec_timeout (${seconds(spec.execTimeoutMs)})` });
        }, spec.execTimeoutMs);
      }
      worker.send(call).then(
        (res) => {
          this.release(worker);
          settle({ status: res.status, headers: res.headers, body: res.body });
        },
        (err: NodeJS.ErrnoException) => {
          // The socket was gone or refused: the call never reached the function (the worker is
          // dying), so another worker may take it. Anything later may have run: never resent.
          const refused = err.code === 'ECONNREFUSED' || err.code === 'ENOENT';
          const resend = !settled && refused && (call.requeued ?? 0) < MAX_REQUEUES;
          // Out of service before release() hands its freed slot to the next waiting call, which
          // would otherwise be refused too and spend one of its resends on a dead worker.
          if (refused) worker.kill({ kind: 'unreachable', message: `its socket refused a connection (${err.code})` });
          this.release(worker);
          if (settled) return;
          if (resend) {
            call.requeued = (call.requeued ?? 0) + 1;
            if (timer) clearTimeout(timer);
            settled = true;
            void this.invoke(call).then(resolve);
            return;
          }
          void this.failureOf(worker, err).then(settle);
        },
      );
    });
  }

  /** A call ended on `worker`: hand it the next waiting call, or let it retire. */
  private release(worker: Worker): void {
    worker.inflight--;
    if (worker.inflight === 0) worker.idleSince = Date.now();
    if (worker.state === 'retiring' && worker.inflight === 0) {
      worker.stop(worker.retireReason ?? { kind: 'replaced', message: 'retired' });
    } else if (worker.state === 'ready') {
      this.dispatchTo(worker);
    }
    if (this.drainWaiters.length) this.checkDrained();
  }

  private dispatchTo(worker: Worker): void {
    while (worker.hasCapacity && this.queue.length > 0) {
      const waiter = this.queue.shift() as Waiter;
      if (waiter.call.abandoned) {
        waiter.resolve(failureResult(499, 'unavailable', 'the caller went away'));
        continue;
      }
      void this.run(worker, waiter.call).then(waiter.resolve);
    }
  }

  /** Why a call failed when its connection to the worker broke: the worker's fate decides. */
  private async failureOf(worker: Worker, err: Error): Promise<CallResult> {
    if (worker.state !== 'exited') await waitAtMost(worker.exited, EXIT_WAIT_MS);
    const name = worker.spec.name;
    const reason = worker.killReason;
    if (reason?.kind === 'memory')
      return failureResult(502, 'memory', `function ${name}: ${reason.message}; its worker was killed and is being replaced`);
    if (reason?.kind === 'timeout')
      return failureResult(502, 'crash', `function ${name}: its worker was killed because another call on it exceeded exec_timeout`);
    if (reason)
      return failureResult(503, 'unavailable', `function ${name}: its worker was stopped before the call finished (${reason.message})`);
    const info = worker.exitInfo;
    // V8 hitting --max-old-space-size aborts the process: that is the memory limit too.
    const oom = info?.stderrTail.find((line) => /heap out of memory|JavaScript out of memory|MemoryError/.test(line));
    if (oom && worker.spec.memoryLimitMb !== undefined) {
      return failureResult(
        502,
        'memory',
        `function ${name}: memory limit of ${worker.spec.memoryLimitMb} MiB exceeded (${oom.trim()}); its worker is being replaced`,
      );
    }
    if (info)
      return failureResult(
        502,
        'crash',
        `function ${name}: its process ${worker.exitSummary()} during the call; the worker is being replaced`,
      );
    return failureResult(502, 'crash', `function ${name}: the connection to its worker failed: ${err.message}`);
  }

  private onReady(worker: Worker): void {
    if (this.closing === 'deleted') return worker.retire({ kind: 'deleted', message: 'the function was deleted' });
    if (worker.generation === this.generation) {
      this.startFailure = undefined;
      this.backoffMs = this.ctx.backoffInitialMs;
      this.startBlockedUntil = 0;
      for (const w of this.workers) {
        if (w.generation !== this.generation) w.retire({ kind: 'replaced', message: 'replaced by an update' });
      }
    }
    this.dispatchTo(worker);
    this.reconcile();
  }

  private onExit(worker: Worker): void {
    const index = this.workers.indexOf(worker);
    if (index >= 0) this.workers.splice(index, 1);
    if (worker.readyAt === undefined && !isRoutineKill(worker.killReason) && worker.generation === this.generation) {
      // Never became ready: back off before the next try (a handler that cannot load would
      // otherwise restart in a hot loop), and fail the waiting calls if nothing else can serve.
      this.startFailure = `its worker ${worker.exitSummary()}`;
      this.startBlockedUntil = Date.now() + this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, this.ctx.backoffMaxMs);
      if (!this.hasServingOrStarting()) {
        const result = this.cannotStart();
        this.failQueued(result.status, 'unavailable', result.body.toString());
      }
    }
    if (this.drainWaiters.length) this.checkDrained();
    this.reconcile();
  }

  private cannotStart(): CallResult {
    return failureResult(
      503,
      'unavailable',
      `function ${this.name} cannot start: ${this.startFailure ?? 'no worker is ready'} (see GET /system/logs?name=${this.name})`,
    );
  }

  private hasServingOrStarting(): boolean {
    return this.workers.some((w) => w.state === 'ready' || w.state === 'starting');
  }

  private failQueued(status: number, failure: ProviderFailure, message: string): void {
    for (const waiter of this.queue.drain()) waiter.resolve(failureResult(status, failure, message));
  }

  private reconcile(shrinkNow = false): void {
    if (this.closing) return;
    const ready: Worker[] = [];
    let starting = 0;
    let legacy = 0;
    for (const w of this.workers) {
      if (w.generation !== this.generation) {
        if (w.state === 'ready') legacy++;
      } else if (w.state === 'starting') starting++;
      else if (w.state === 'ready') ready.push(w);
    }
    const plan = planScaling({
      floor: this.floor,
      max: this.spec.maxReplicas,
      maxInflight: this.spec.maxInflight,
      starting,
      ready,
      legacyServing: legacy,
      queued: this.queue.length,
      now: Date.now(),
      idleDelayMs: shrinkNow ? 0 : this.ctx.idleDelayMs,
      startBlockedUntil: this.startBlockedUntil,
    });
    const why: KillReason = shrinkNow
      ? { kind: 'idle', message: `scaled to ${this.floor} replicas` }
      : { kind: 'idle', message: `idle for ${seconds(this.ctx.idleDelayMs)} with ${this.floor} replicas wanted` };
    for (const i of plan.stop) ready[i].stop(why);
    for (let i = 0; i < plan.start; i++) this.startWorker();
  }

  private startWorker(): void {
    const seq = this.ctx.nextSeq();
    const worker = new Worker({
      id: `${this.spec.name}-${seq}`,
      seq,
      spec: this.spec,
      generation: this.generation,
      shim: this.ctx.shimOf(this.spec.runtime),
      sandbox: this.ctx.sandbox,
      workDir: this.ctx.workDir,
      hiddenPaths: this.ctx.hiddenPaths,
      logs: this.logs,
      logger: this.ctx.logger,
      startTimeoutMs: this.ctx.startTimeoutMs,
      hostEnv: this.ctx.hostEnv,
      ledger: this.ctx.ledger,
      onReady: (w) => this.onReady(w),
      onExit: (w) => this.onExit(w),
    });
    this.workers.push(worker);
    worker.start();
  }

  private isDrained(): boolean {
    const busy = this.workers.some((w) => w.inflight > 0);
    return !busy && (this.queue.length === 0 || !this.hasServingOrStarting());
  }

  private checkDrained(): void {
    if (!this.isDrained()) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private allExited(): Promise<void> {
    return Promise.all(this.workers.map((w) => w.exited)).then(() => undefined);
  }
}
