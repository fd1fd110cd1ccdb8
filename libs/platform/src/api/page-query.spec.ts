import { encodePageToken, parsePageQuery, toPage } from './page-query';

describe('page query', () => {
  it('defaults and bounds the page size', () => {
    expect(parsePageQuery({})).toEqual({ limit: 50 });
    expect(parsePageQuery({ pageSize: '10' })).toEqual({ limit: 10 });
    for (const bad of ['0', '501', 'x', '1.5']) expect(() => parsePageQuery({ pageSize: bad })).toThrow(/pageSize/);
  });

  it('round-trips a token and refuses a forged one', () => {
    expect(parsePageQuery({ pageToken: encodePageToken('beta') })).toEqual({ limit: 50, after: 'beta' });
    expect(() => parsePageQuery({ pageToken: 'garbage!' })).toThrow(expect.objectContaining({ code: 'INVALID_PAGE_TOKEN' }));
  });

  it('cuts the extra row into a continuation token', () => {
    expect(toPage(['a', 'b'], 2, (x) => x)).toEqual({ items: ['a', 'b'] });
    const page = toPage(['a', 'b', 'c'], 2, (x) => x);
    expect(page.items).toEqual(['a', 'b']);
    expect(parsePageQuery({ pageToken: page.nextPageToken }).after).toBe('b');
  });
});
