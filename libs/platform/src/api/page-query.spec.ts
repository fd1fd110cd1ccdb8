import { encodePageToken, pageByName, parsePageQuery, toPage } from './page-query';

describe('page query', () => {
  it('defaults and bounds the page size', () => {
    expect(parsePageQuery({})).toEqual({ limit: 50 });
    expect(parsePageQuery({ pageSize: '10' })).toEqual({ limit: 10 });
    for (const bad of ['0', '501', 'x', '1.5', '', ' 5', '1e1', '0x10', ['1', '2']])
      expect(() => parsePageQuery({ pageSize: bad })).toThrow(/pageSize/);
  });

  it("refuses query parameters the list does not take, with a hint for other APIs' paging names", () => {
    expect(parsePageQuery({ status: 'FAILED', pageSize: '5' }, ['status'])).toEqual({ limit: 5 });
    expect(() => parsePageQuery({ limit: '10' })).toThrow(
      /unknown query parameter\(s\) "limit"; this list takes pageSize, pageToken; pages are asked with pageSize/,
    );
    expect(() => parsePageQuery({ stauts: 'x' }, ['status'])).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', details: { unknown: ['stauts'], known: ['pageSize', 'pageToken', 'status'] } }),
    );
  });

  it('round-trips a token and refuses a forged one', () => {
    expect(parsePageQuery({ pageToken: encodePageToken('beta') })).toEqual({ limit: 50, after: 'beta' });
    expect(() => parsePageQuery({ pageToken: 'garbage!' })).toThrow(expect.objectContaining({ code: 'INVALID_PAGE_TOKEN' }));
    expect(() => parsePageQuery({ pageToken: encodePageToken('a\u0000') })).toThrow(
      expect.objectContaining({ code: 'INVALID_PAGE_TOKEN' }),
    );
    expect(() => parsePageQuery({ pageToken: ['a', 'b'] })).toThrow(expect.objectContaining({ code: 'INVALID_PAGE_TOKEN' }));
  });

  it('cuts the extra row into a continuation token', () => {
    expect(toPage(['a', 'b'], 2, (x) => x)).toEqual({ items: ['a', 'b'] });
    const page = toPage(['a', 'b', 'c'], 2, (x) => x);
    expect(page.items).toEqual(['a', 'b']);
    expect(parsePageQuery({ pageToken: page.nextPageToken }).after).toBe('b');
  });

  it('answers named rows as a page of their views, continuing after the last name shown', () => {
    const rows = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];
    expect(pageByName(rows.slice(0, 2), 2, (r) => r.name.toUpperCase())).toEqual({ items: ['A', 'B'] });
    const page = pageByName(rows, 2, (r) => r.name.toUpperCase());
    expect(page.items).toEqual(['A', 'B']);
    expect(parsePageQuery({ pageToken: page.nextPageToken }).after).toBe('b');
  });
});
