import { LabelSelectorError, matchesLabels, parseLabelSelector } from './label-selector';

describe('label selectors (the fake API server)', () => {
  const labels = { 'app.kubernetes.io/managed-by': 'dispatch', 'dispatch.io/org': 'acme', tier: 'db' };
  const matches = (selector: string, l: Record<string, string> = labels) => matchesLabels(parseLabelSelector(selector), l);

  it('parses equality, set and existence requirements as apimachinery does', () => {
    expect(parseLabelSelector('a=1, b==2,c!=3,d in (x, y),e notin (z),f,!g')).toEqual([
      { key: 'a', operator: '=', values: ['1'] },
      { key: 'b', operator: '=', values: ['2'] },
      { key: 'c', operator: '!=', values: ['3'] },
      { key: 'd', operator: 'in', values: ['x', 'y'] },
      { key: 'e', operator: 'notin', values: ['z'] },
      { key: 'f', operator: 'exists', values: [] },
      { key: 'g', operator: 'doesNotExist', values: [] },
    ]);
    expect(parseLabelSelector('')).toEqual([]);
    expect(parseLabelSelector('a=')).toEqual([{ key: 'a', operator: '=', values: [''] }]);
  });

  it('matches like the API server: every requirement must hold; != and notin hold for a missing key', () => {
    expect(matches('app.kubernetes.io/managed-by=dispatch,dispatch.io/org=acme')).toBe(true);
    expect(matches('app.kubernetes.io/managed-by=dispatch,dispatch.io/org=beta')).toBe(false);
    expect(matches('tier in (db,cache),!missing')).toBe(true);
    expect(matches('tier notin (db)')).toBe(false);
    expect(matches('other!=x')).toBe(true);
    expect(matches('other notin (x)')).toBe(true);
    expect(matches('other')).toBe(false);
    expect(matches('')).toBe(true);
  });

  it.each(['a in b', 'a in ()', 'a=b=c', ',', 'a,,b', 'bad key=x', 'a=not valid!', 'a/b/c=x', `a=${'x'.repeat(64)}`])(
    'refuses %j',
    (selector) => {
      expect(() => parseLabelSelector(selector)).toThrow(LabelSelectorError);
    },
  );
});
