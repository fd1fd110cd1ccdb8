import { MAX_TOKEN_LENGTH, bearerTokenOf, looksLikeJwt } from './bearer-token';

describe('bearerTokenOf', () => {
  it('takes the credential of a Bearer header, whatever the scheme case', () => {
    expect(bearerTokenOf('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerTokenOf('bearer  dsp_key+/=')).toBe('dsp_key+/=');
    expect(bearerTokenOf('BEARER abc ')).toBe('abc');
  });

  it('ignores absent, other-scheme, empty and malformed headers', () => {
    expect(bearerTokenOf(undefined)).toBeUndefined();
    expect(bearerTokenOf('')).toBeUndefined();
    expect(bearerTokenOf('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerTokenOf('Bearer')).toBeUndefined();
    expect(bearerTokenOf('Bearer ')).toBeUndefined();
    expect(bearerTokenOf('Bearer a b')).toBeUndefined();
    expect(bearerTokenOf('Bearerabc')).toBeUndefined();
  });

  it('ignores oversized headers without scanning them', () => {
    expect(bearerTokenOf(`Bearer ${'a'.repeat(MAX_TOKEN_LENGTH + 100)}`)).toBeUndefined();
  });
});

describe('looksLikeJwt', () => {
  it('accepts three base64url segments, the last possibly empty (alg none)', () => {
    expect(looksLikeJwt('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln')).toBe(true);
    expect(looksLikeJwt('eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.')).toBe(true);
  });

  it('refuses API keys and anything else', () => {
    expect(looksLikeJwt('dsp_3f9a0c1e.secretpart')).toBe(false);
    expect(looksLikeJwt('a.b.c.d')).toBe(false);
    expect(looksLikeJwt('a..c')).toBe(false);
    expect(looksLikeJwt('a+b.c.d')).toBe(false);
    expect(looksLikeJwt(`a.${'b'.repeat(MAX_TOKEN_LENGTH)}.c`)).toBe(false);
  });
});
