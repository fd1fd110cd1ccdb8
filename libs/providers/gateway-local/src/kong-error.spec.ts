import { errorResponseType, kongError } from './kong-error';

describe("Kong's error responses", () => {
  it.each([
    [undefined, 'application/json; charset=utf-8'],
    ['*/*', 'application/json; charset=utf-8'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'text/html; charset=utf-8'],
    ['application/xml;q=0.5, text/plain;q=0.9', 'text/plain; charset=utf-8'],
    ['text/*', 'text/plain; charset=utf-8'],
    ['image/png', 'application/json; charset=utf-8'],
    ['application/xml', 'application/xml; charset=utf-8'],
  ])('answers Accept %s with %s', (accept, type) => {
    expect(errorResponseType(accept)).toBe(type);
  });

  it("fills Kong's templates with the message and request id", () => {
    expect(JSON.parse(kongError(404, 'no Route matched with those values', 'abc').body)).toEqual({
      message: 'no Route matched with those values',
      request_id: 'abc',
    });
    expect(kongError(502, undefined, 'abc', 'text/plain').body).toBe(
      'An invalid response was received from the upstream server\nrequest_id: abc\n',
    );
    expect(kongError(429, 'API rate limit exceeded', 'abc', 'text/html').body).toContain('<p>API rate limit exceeded.</p>');
    expect(kongError(401, undefined, 'abc', 'application/xml').body).toContain('<message>Unauthorized</message>');
    expect(kongError(401, 'No API key found in request', 'abc', undefined, { 'WWW-Authenticate': 'Key' }).headers).toEqual({
      'content-type': 'application/json; charset=utf-8',
      'WWW-Authenticate': 'Key',
    });
  });
});
