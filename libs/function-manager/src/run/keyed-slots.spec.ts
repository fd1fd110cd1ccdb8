import { KeyedSlots } from './keyed-slots';

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
});
