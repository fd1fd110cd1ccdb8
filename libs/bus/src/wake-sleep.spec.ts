import { WakeableSleep } from './wake-sleep';

const refTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('WakeableSleep', () => {
  it('sleeps for the time given', async () => {
    const started = Date.now();
    await new WakeableSleep().sleep(60);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('ends a sleep in progress on wake()', async () => {
    const sleeper = new WakeableSleep();
    const started = Date.now();
    const sleeping = sleeper.sleep(10_000);
    setTimeout(() => sleeper.wake(), 20);
    await sleeping;
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('keeps a wake-up that came while nobody slept for the next sleep only', async () => {
    const sleeper = new WakeableSleep();
    sleeper.wake();
    const started = Date.now();
    await sleeper.sleep(10_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    // Used up: the sleep after it runs its course.
    const again = Date.now();
    await sleeper.sleep(60);
    expect(Date.now() - again).toBeGreaterThanOrEqual(55);
  });

  it('forgets a kept wake-up on reset()', async () => {
    const sleeper = new WakeableSleep();
    sleeper.wake();
    sleeper.reset();
    const started = Date.now();
    await sleeper.sleep(60);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('holds the process open while sleeping unless unref is asked for', async () => {
    const before = refTimers();
    const held = new WakeableSleep();
    const holding = held.sleep(10_000);
    expect(refTimers()).toBe(before + 1);
    held.wake();
    await holding;

    const unrefd = new WakeableSleep({ unref: true });
    const sleeping = unrefd.sleep(10_000);
    expect(refTimers()).toBe(before);
    unrefd.wake();
    await sleeping;
  });
});
