import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER, PeriodicTask } from '@dispatch/platform';
import { FUNCTION_CONFIG, type FunctionConfig } from '../function-config';
import { RunnerRepository } from './runner.repository';

/** Heartbeats per lease: a few may fail (a slow database) before the lease runs out. */
const BEATS_PER_LEASE = 5;

/**
 * This process's lease as a runner of functions: a row in `functions.runner` whose heartbeat it
 * refreshes every fifth of RUN_LEASE_MS. Runs it starts carry its id; another process gives them
 * up as lost only once the heartbeat has been silent for a whole lease.
 *
 * The row is left behind at shutdown: runs still unfinished then were lost, and its going stale
 * is what tells the others so.
 */
@Injectable()
export class RunnerLease implements OnModuleInit, OnApplicationShutdown {
  readonly id = randomUUID();
  private readonly startedTime = new Date();
  private readonly heartbeat: PeriodicTask;
  /** Since when every heartbeat has been written; unset while they fail. */
  private healthySince?: number;

  constructor(
    private readonly runners: RunnerRepository,
    @Inject(FUNCTION_CONFIG) private readonly config: FunctionConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    // beat() reports its own failures.
    this.heartbeat = new PeriodicTask(
      () => this.beat(),
      config.RUN_LEASE_MS / BEATS_PER_LEASE,
      () => undefined,
    );
  }

  async onModuleInit(): Promise<void> {
    this.heartbeat.start({ now: false });
    await this.heartbeat.runNow();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.heartbeat.stop();
  }

  /**
   * Whether other runners' heartbeats can be judged: this process's own have been written for a
   * whole lease, so the database was reachable for everyone long enough to beat. Right after an
   * outage every heartbeat is stale, and judging then would give up runs of live processes.
   */
  get judgesOthers(): boolean {
    return this.healthySince !== undefined && Date.now() - this.healthySince >= this.config.RUN_LEASE_MS;
  }

  private async beat(): Promise<void> {
    try {
      await this.runners.beat({ id: this.id, host: hostname(), pid: process.pid, startedTime: this.startedTime });
      this.healthySince ??= Date.now();
    } catch (err) {
      if (this.healthySince !== undefined) this.logger.warn({ err, runner: this.id }, 'runner heartbeat could not be written; retrying');
      this.healthySince = undefined;
    }
  }
}
