/**
 * Work a service does on a period (a sweep, a heartbeat, a scan): one run at a time (a tick that
 * finds the previous run still going is skipped), failures reported and never thrown at the
 * timer, the timer never keeping the process alive, and `stop()` waiting for the run under way.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly everyMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Runs the work now (unless `now` is false) and then every period. */
  start({ now = true }: { now?: boolean } = {}): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.runNow(), this.everyMs);
    this.timer.unref();
    if (now) void this.runNow();
  }

  /** Runs the work at once unless a run is under way; resolves when that run ends. */
  runNow(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.work()
      .then(() => undefined, this.onError)
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** No more runs; resolves once the one under way, if any, has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }
}
