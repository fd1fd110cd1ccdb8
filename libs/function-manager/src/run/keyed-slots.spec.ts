import { KeyedSlots } from './keyed-slots';

const tick = () => new Promise((r) => setImmediate(r));

describe('KeyedSlots', () => {
  it('counts per key and refuses past the limit only on tryTake', () => {
    const slots = new KeyedSlots();
    const a1 = slots.tryTake('a', 2);
    const a2 = slots.tryTake('a', 2);
    expect(slots.tryTake('a', 2)).toBeUndefined();
    expect(slots.tryTake('b', 2)).toBeDefined();
    const forced = slots.takeAnyway('a');
    expect(slots.count('a')).toBe(3);
    a1?.();
    a1?.();
    forced();
    expect(slots.count('a')).toBe(1);
    a2?.();
    expect(slots.count('a')).toBe(0);
  });

  it('makes take() wait for a slot given back, first come first served', async () => {
    const slots = new KeyedSlots();
    const held = slots.tryTake('f', 1)!;
    const order: string[] = [];
    const first = slots.take('f', () => 1).then((r) => (order.push('first'), r));
    const second = slots.take('f', () => 1).then((r) => (order.push('second'), r));
    await tick();
    expect(order).toEqual([]);
    held();
    const r1 = await first;
    await tick();
    expect(order).toEqual(['first']);
    r1();
    (await second)();
    expect(order).toEqual(['first', 'second']);
    expect(slots.count('f')).toBe(0);
  });

  it('lets a waiter in when its limit grows, without a slot given back', async () => {
    jest.useFakeTimers();
    try {
      const slots = new KeyedSlots();
      slots.takeAnyway('o');
      let limit = 1;
      let got = false;
      const waiting = slots.take('o', () => limit).then(() => (got = true));
      await jest.advanceTimersByTimeAsync(1500);
      expect(got).toBe(false);
      limit = 2;
      await jest.advanceTimersByTimeAsync(1500);
      await waiting;
      expect(got).toBe(true);
      expect(slots.count('o')).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
