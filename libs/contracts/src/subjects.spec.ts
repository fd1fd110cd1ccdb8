import { parseSubject, subjectName } from './subjects';
import { isValidName } from './entity';

describe('subjects', () => {
  it('builds <service>.<aggregate>.<verb>.v<n> and parses it back', () => {
    const s = subjectName('function', 'run', 'requested');
    expect(s).toBe('function.run.requested.v1');
    expect(parseSubject(s)).toEqual({ service: 'function', aggregate: 'run', verb: 'requested', version: 1 });
    expect(subjectName('image', 'image', 'ready', 2)).toBe('image.image.ready.v2');
  });

  it('rejects segments that would break NATS subject matching', () => {
    expect(() => subjectName('function', 'run.x', 'requested')).toThrow(/aggregate/);
    expect(() => subjectName('function', 'run', '*')).toThrow(/verb/);
    expect(() => subjectName('function', 'run', 'ok', 0)).toThrow(/version/);
  });

  it('does not take foreign subjects for platform ones', () => {
    expect(parseSubject('events.acme.order.created')).toBeUndefined();
    expect(parseSubject('billing.x.y.v1')).toBeUndefined();
    expect(parseSubject('function.run.requested.v0')).toBeUndefined();
  });
});

describe('names', () => {
  it.each([
    ['hello', true],
    ['a-1', true],
    ['-a', false],
    ['A', false],
    ['a_b', false],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
  ])('%s valid=%s', (name, ok) => expect(isValidName(name)).toBe(ok));
});
