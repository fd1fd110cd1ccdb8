import { RouteTable } from './method-not-allowed';

describe('RouteTable', () => {
  const table = new RouteTable();
  table.add('GET', '/v1/function');
  table.add(['POST', 'HEAD'], '/v1/function');
  table.add('GET', '/v1/function/:name');
  table.add('DELETE', '/v1/function/:name');
  table.add('GET', '/v1/function/:name/versions');
  table.add('GET', '/docs/*');

  it('lists every method served on a path, sorted', () => {
    expect(table.allowedMethods('/v1/function')).toEqual(['GET', 'HEAD', 'POST']);
    expect(table.allowedMethods('/v1/function/hello')).toEqual(['DELETE', 'GET']);
    expect(table.allowedMethods('/v1/function/hello/versions')).toEqual(['GET']);
    expect(table.allowedMethods('/docs/static/index.html')).toEqual(['GET']);
  });

  it('knows no methods for a path no route matches', () => {
    expect(table.allowedMethods('/v1/nothing')).toEqual([]);
    expect(table.allowedMethods('/v1/function//versions')).toEqual([]);
    expect(table.allowedMethods('/v1/function/a/b')).toEqual([]);
    expect(table.allowedMethods('/v1')).toEqual([]);
  });
});
