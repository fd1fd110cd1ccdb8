import { Injectable } from '@nestjs/common';
import type { RunOutcome } from './run-outcome';
import type { Run } from './run.entity';
import { UsageMeter } from '../usage/usage-meter';
import type { ActiveFunction } from './active-function';
import { RunExecutor, type RunInvocation } from './run-executor';
import { RunMetrics } from './run-metrics';
import { RunRecorder } from './run-recorder';

/** Calls the function of a started run and records how the run ended: its record, usage and metrics. */
@Injectable()
export class RunFinisher {
  constructor(
    private readonly executor: RunExecutor,
    private readonly recorder: RunRecorder,
    private readonly usage: UsageMeter,
    private readonly metrics: RunMetrics,
  ) {}

  /**
   * Calls the function; `release` gives back the run's room once the function has answered, before
   * the record is written. `request` is the HTTP request of a run invoked through the gateway.
   */
  async call(run: Run, fn: ActiveFunction, release: () => void, request: Pick<RunInvocation, 'httpContext'> = {}): Promise<RunOutcome> {
    try {
      return await this.executor.execute(fn, { runId: run.id, input: run.input, secrets: run.secrets, ...request });
    } finally {
      release();
    }
  }

  /** Resolves once the run's record is committed. */
  async finish(run: Run, outcome: RunOutcome): Promise<void> {
    const finished = new Date();
    Object.assign(run, {
      status: outcome.status,
      output: outcome.output,
      error: outcome.error,
      logs: outcome.logs,
      finishedTime: finished,
    });
    run.startedTime ??= finished;
    const ms = finished.getTime() - run.startedTime.getTime();
    this.usage.count(run.org, ms, run.memoryMb, finished);
    this.metrics.record(run.status, run.blocking, ms / 1000);
    await this.recorder.save(run);
  }
}
