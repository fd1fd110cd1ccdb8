import { parseFunctionPath } from './function-path';

describe('parseFunctionPath', () => {
  it('reads the name, the namespace after the last dot and the extra path', () => {
    expect(parseFunctionPath('/function/hello', '/function/')).toEqual({ name: 'hello', rest: '/' });
    expect(parseFunctionPath('/function/hello/', '/function/')).toEqual({ name: 'hello', rest: '/' });
    expect(parseFunctionPath('/function/hello/a/b', '/function/')).toEqual({ name: 'hello', rest: '/a/b' });
    expect(parseFunctionPath('/function/hello.team', '/function/')).toEqual({ name: 'hello', namespace: 'team', rest: '/' });
    expect(parseFunctionPath('/async-function/hello.team/x', '/async-function/')).toEqual({ name: 'hello', namespace: 'team', rest: '/x' });
  });

  it('refuses what the gateway router would not route', () => {
    for (const path of ['/function/', '/function//x', '/function/he%20llo', '/function/.team', '/function/hello.']) {
      expect(parseFunctionPath(path, '/function/')).toBeUndefined();
    }
  });
});
