import { ShutdownSteps } from './shutdown-steps';

describe('ShutdownSteps', () => {
  it('undoes in reverse order, once, and keeps going past a failing step', async () => {
    const order: string[] = [];
    const errors: unknown[] = [];
    const steps = new ShutdownSteps((e) => errors.push(e));
    steps.add(async () => order.push('db'));
    steps.add(async () => {
      throw new Error('bus already gone');
    });
    steps.add(async () => order.push('http'));
    await Promise.all([steps.stop(), steps.stop()]);
    expect(order).toEqual(['http', 'db']);
    expect(errors).toHaveLength(1);
  });

  it('runs a step added after stop began straight away', async () => {
    const steps = new ShutdownSteps(() => undefined);
    await steps.stop();
    let ran = false;
    steps.add(async () => {
      ran = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(ran).toBe(true);
    expect(steps.isStopping).toBe(true);
  });
});
