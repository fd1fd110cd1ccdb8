import { ErrorCode } from '@dispatch/contracts';
import { matchesTags, tagQuery } from './tag-query';

describe('tag filters', () => {
  it("joins tags with ',' for all of them and '/' for any of them, as Kong reads ?tags=", () => {
    expect(tagQuery(['dispatch', 'org:acme', 'api:hello'])).toBe('dispatch,org:acme,api:hello');
    expect(tagQuery(['org:acme', 'org:beta'], 'or')).toBe('org:acme/org:beta');
    expect(tagQuery([], 'or')).toBeUndefined();
    expect(tagQuery(undefined)).toBeUndefined();
  });

  it('refuses a tag that would change the filter or that Kong would not store', () => {
    for (const bad of ['a,b', 'a/b', '', 'two words', 'tab\t', 'é']) {
      expect(() => tagQuery([bad])).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED }));
    }
    expect(() => tagQuery(['a/b'])).toThrow(/must not contain ',' or '\/'/);
  });

  it('evaluates a filter as Kong does', () => {
    expect(matchesTags(['dispatch', 'org:acme'], 'dispatch,org:acme')).toBe(true);
    expect(matchesTags(['dispatch'], 'dispatch,org:acme')).toBe(false);
    expect(matchesTags(['org:beta'], 'org:acme/org:beta')).toBe(true);
    expect(matchesTags(null, 'dispatch')).toBe(false);
    expect(matchesTags(null, undefined)).toBe(true);
  });
});
