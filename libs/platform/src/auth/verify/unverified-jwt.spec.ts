import { ErrorCode } from '@dispatch/contracts';
import { MAX_TOKEN_LENGTH } from './bearer-token';
import { peekJwt } from './unverified-jwt';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('peekJwt', () => {
  it('decodes header and payload without checking anything', () => {
    expect(peekJwt(`${b64({ alg: 'RS256', kid: 'k' })}.${b64({ iss: 'x' })}.sig`)).toEqual({
      header: { alg: 'RS256', kid: 'k' },
      payload: { iss: 'x' },
    });
  });

  it.each([
    ['an API key', 'dsp_abc.def', /not a JWT/],
    ['non-JSON parts', `${b64('nope')}.${b64('nope')}.sig`, /not a well-formed JWT/],
    ['a payload that is not an object', `${b64({ alg: 'RS256' })}.${b64([1])}.sig`, /not a well-formed JWT/],
    ['an oversized token', `${b64({ alg: 'RS256' })}.${'a'.repeat(MAX_TOKEN_LENGTH)}.sig`, /longer than 16384 characters/],
  ])('refuses %s with 401', (_what, token, message) => {
    expect(() => peekJwt(token)).toThrow(
      expect.objectContaining({ code: ErrorCode.UNAUTHENTICATED, message: expect.stringMatching(message) }),
    );
  });
});
