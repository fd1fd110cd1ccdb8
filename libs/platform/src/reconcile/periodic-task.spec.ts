import { PeriodicTask } from './periodic-task';

describe('PeriodicTask', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs at start and every period, skipping a tick while the previous run is still going', async () => {
    let runs = 0;
    let release!: () => void;
    const task = new PeriodicTask(
      () => {
        runs++;
        return new Promise<void>((resolve) => (release = resolve));
      },
      100,
      () => undefined,
    );
    task.start();
    expect(runs).toBe(1);
    await jest.advanceTimersByTimeAsync(350);
    expect(runs).toBe(1);
    release();
    await jest.advanceTimersByTimeAsync(100);
    expect(runs).toBe(2);
    release();
    await task.stop();
  });

  it('reports a failed run and keeps its period', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const task = new PeriodicTask(
      async () => {
        runs++;
        throw new Error(`run ${runs}`);
      },
      100,
      (err) => errors.push(err),
    );
    task.start();
    await jest.advanceTimersByTimeAsync(250);
    expect(runs).toBe(3);
    expect(errors.map((e) => (e as Error).message)).toEqual(['run 1', 'run 2', 'run 3']);
    await task.stop();
  });

  it('waits on stop for the run under way, and runs no more after it', async () => {
    let runs = 0;
    let finished = false;
    const task = new PeriodicTask(
      async () => {
        runs++;
        await new Promise((r) => setTimeout(r, 50));
        finished = true;
      },
      100,
      () => undefined,
    );
    task.start();
    const stopping = task.stop();
    await jest.advanceTimersByTimeAsync(50);
    await stopping;
    expect(finished).toBe(true);
    await jest.advanceTimersByTimeAsync(500);
    await task.runNow();
    expect(runs).toBe(1);
  });
});
