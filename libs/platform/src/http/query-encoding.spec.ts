import { badlyEncodedQueryParameter } from './query-encoding';

describe('badlyEncodedQueryParameter', () => {
  it('lets well-encoded queries through, plus signs, empty values and %25 included', () => {
    for (const url of ['/v1/x', '/v1/x?', '/v1/x?a=1&b', '/v1/x?q=caf%C3%A9+au+lait', '/v1/x?q=100%25', '/v1/x?a=&b=%00', '/v1/%ZZ']) {
      expect(badlyEncodedQueryParameter(url)).toBeUndefined();
    }
  });

  it('names the parameter whose name or value does not decode', () => {
    expect(badlyEncodedQueryParameter('/v1/x?a=1&subject=%ZZ')).toBe('subject');
    expect(badlyEncodedQueryParameter('/v1/x?q=100%')).toBe('q');
    expect(badlyEncodedQueryParameter('/v1/x?q=%E0%A4%A')).toBe('q');
    expect(badlyEncodedQueryParameter('/v1/x?q%ZZ=1')).toBe('q%ZZ');
    expect(badlyEncodedQueryParameter('/v1/x?f=a=b%')).toBe('f');
  });
});
