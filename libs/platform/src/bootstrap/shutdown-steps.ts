/**
 * Undo steps of a start-up, run in reverse on stop. It exists before anything starts, so a signal
 * arriving half way through start-up stops what had started; a step added after stop began (the
 * start-up was still finishing) runs at once.
 */
export class ShutdownSteps {
  private readonly steps: (() => Promise<unknown>)[] = [];
  private stopping?: Promise<void>;

  constructor(private readonly onError: (err: unknown) => void) {}

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  add(step: () => Promise<unknown>): void {
    if (this.stopping) void step().catch(this.onError);
    else this.steps.push(step);
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const step of this.steps.splice(0).reverse()) await step().catch(this.onError);
    })();
    return this.stopping;
  }
}
