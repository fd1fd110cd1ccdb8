export interface WakeableSleepOptions {
  /**
   * true: a sleep in progress does not keep the process alive on its own (the loop of an object
   * nobody stopped must not hold the process open). Default false.
   */
  unref?: boolean;
}

/**
 * The pause of a polling loop that events can cut short: `sleep(ms)` resolves after `ms` or as
 * soon as `wake()` is called. A wake-up that comes while nobody sleeps is kept, so the next
 * sleep returns at once instead of missing it; `reset()` drops it where the loop is about to
 * look for work anyway. Used by the outbox relay and by the members of both buses.
 */
export class WakeableSleep {
  private woken = false;
  private wakeSleeper?: () => void;

  constructor(private readonly options: WakeableSleepOptions = {}) {}

  sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wakeSleeper === done) this.wakeSleeper = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      if (this.options.unref) timer.unref();
      // A second concurrent sleeper would strand the first one: only one loop may use an instance.
      this.wakeSleeper?.();
      this.wakeSleeper = done;
    });
  }

  /** Ends the sleep in progress, or, when there is none, the next one. */
  wake(): void {
    const sleeper = this.wakeSleeper;
    if (sleeper) {
      sleeper();
    } else {
      this.woken = true;
    }
  }

  /** Forgets a wake-up that came while nobody slept. */
  reset(): void {
    this.woken = false;
  }
}
