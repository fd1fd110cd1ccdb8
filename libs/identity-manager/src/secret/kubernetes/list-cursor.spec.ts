import { decodeListCursor, encodeListCursor } from './list-cursor';

describe('list cursors of the Kubernetes secrets backend', () => {
  it('round-trips the last name and the continue token', () => {
    for (const cursor of [{ last: 'db' }, { last: 'db', continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiJ4XHUwMDAwIn0' }]) {
      expect(decodeListCursor(encodeListCursor(cursor))).toEqual(cursor);
    }
  });

  it('takes a bare secret name as a cursor without continue token', () => {
    expect(decodeListCursor('page-b')).toEqual({ last: 'page-b' });
  });

  it.each(['', 'Not A Name', '{}', '{"n":"UPPER"}', '{"n":"ok","c":""}', '{"n":"ok","c":5}', '[1]', '"str"'])(
    'refuses %j with INVALID_PAGE_TOKEN',
    (after) => {
      expect(() => decodeListCursor(after)).toThrow(expect.objectContaining({ code: 'INVALID_PAGE_TOKEN' }));
    },
  );
});
