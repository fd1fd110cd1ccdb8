import { assertSubject, subjectCovers, subjectMatches, subjectsOverlap } from './subject-match';

describe('subjectMatches', () => {
  it.each([
    ['a.b.c', 'a.b.c', true],
    ['a.b.c', 'a.b', false],
    ['a.b', 'a.b.c', false],
    ['a.*.c', 'a.x.c', true],
    ['a.*.c', 'a.x.y.c', false],
    ['a.*', 'a', false],
    ['a.>', 'a.b', true],
    ['a.>', 'a.b.c.d', true],
    ['a.>', 'a', false],
    ['>', 'a', true],
    ['*.b.>', 'x.b.c', true],
    ['*.b.>', 'x.c.c', false],
    ['identity.>', 'function.run.requested.v1', false],
  ])('%s matches %s: %s', (filter, subject, expected) => {
    expect(subjectMatches(filter, subject)).toBe(expected);
  });
});

describe('subjectCovers', () => {
  it.each([
    ['identity.>', 'identity.org.created.v1', true],
    ['identity.>', 'identity.*.created.v1', true],
    ['identity.>', 'identity.>', true],
    ['identity.>', 'identity', false],
    ['identity.*', 'identity.>', false],
    ['identity.*', 'identity.*', true],
    ['identity.org', 'identity.*', false],
    ['>', 'a.b', true],
    ['a.*.c', 'a.b.c', true],
  ])('%s covers %s: %s', (pattern, filter, expected) => {
    expect(subjectCovers(pattern, filter)).toBe(expected);
  });
});

describe('subjectsOverlap', () => {
  it.each([
    ['rpc.>', '>', true],
    ['rpc.>', '*.>', true],
    ['rpc.>', 'identity.>', false],
    ['rpc.>', 'rpc', false],
    ['a.*', 'a.b', true],
    ['a.*', 'a.b.c', false],
    ['a.b', 'a.b', true],
    ['a.>', 'a.b.c', true],
  ])('%s overlaps %s: %s', (a, b, expected) => {
    expect(subjectsOverlap(a, b)).toBe(expected);
    expect(subjectsOverlap(b, a)).toBe(expected);
  });
});

describe('assertSubject', () => {
  it('accepts concrete subjects and wildcards where allowed', () => {
    expect(() => assertSubject('identity.organization.created.v1', { wildcards: false })).not.toThrow();
    expect(() => assertSubject('identity.*.created.>', { wildcards: true })).not.toThrow();
  });

  it.each(['', 'a..b', 'a.b.', 'a b', 'a.b*', 'a.>.b'])('rejects %j', (subject) => {
    expect(() => assertSubject(subject, { wildcards: true })).toThrow(/invalid bus subject/);
  });

  it('rejects wildcards in a concrete subject', () => {
    expect(() => assertSubject('a.*', { wildcards: false })).toThrow(/wildcards are not allowed/);
    expect(() => assertSubject('a.>', { wildcards: false })).toThrow(/wildcards are not allowed/);
  });
});
