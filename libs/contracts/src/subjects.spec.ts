import { MAX_SECRETS_PER_RUN } from './identity/subjects';
import { isSubject, parseSubject, SUBJECT_SCHEMAS, subjectName } from './subjects';
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

describe('the subject map', () => {
  it('names every subject <service>.<aggregate>.<verb>.v<n>', () => {
    for (const subject of Object.keys(SUBJECT_SCHEMAS)) expect(parseSubject(subject)).toBeDefined();
  });

  it('knows its own subjects only', () => {
    expect(isSubject('function.run.requested.v1')).toBe(true);
    expect(isSubject('function.run.*.v1')).toBe(false);
    expect(isSubject('events.acme.order.created')).toBe(false);
    // An inherited property is no subject.
    expect(isSubject('toString')).toBe(false);
  });

  it('checks payloads against the schema of their subject', () => {
    const run = SUBJECT_SCHEMAS['function.run.requested.v1'];
    expect(run.safeParse({ runId: 'r1', org: 'acme', functionName: 'hello' }).success).toBe(true);
    expect(run.safeParse({ runId: 'r1', org: 'acme' }).success).toBe(false);
    // A newer publisher may add fields.
    expect(run.safeParse({ runId: 'r1', org: 'acme', functionName: 'hello', extra: 1 }).success).toBe(true);
    const snapshot = SUBJECT_SCHEMAS['identity.authz.snapshot.v1'];
    expect(snapshot.safeParse({}).success).toBe(true);
    expect(snapshot.safeParse({ knownRevision: 'three' }).success).toBe(false);
  });

  it('bounds a secret resolution to the secrets one run may name, for an org', () => {
    const resolve = SUBJECT_SCHEMAS['identity.secret.resolve.v1'];
    const names = (n: number) => Array.from({ length: n }, (_, i) => `s${i}`);
    expect(resolve.safeParse({ org: 'acme', names: names(MAX_SECRETS_PER_RUN) }).success).toBe(true);
    expect(resolve.safeParse({ org: 'acme', names: names(MAX_SECRETS_PER_RUN + 1) }).success).toBe(false);
    expect(resolve.safeParse({ org: '', names: ['db'] }).success).toBe(false);
  });
});
