import { DispatchError, ErrorCode, RunErrorType, RunStatus } from '@dispatch/contracts';
import { runViewOf } from '../run/run-view';
import { runOf } from '../run/test-support/run-of';
import { httpContextOf, inputOf, visibleHeaders } from './invoke-request';
import { responseOf } from './invoke-response';

describe('invoke request mapping', () => {
  it('hides credentials and what the gateway adds, lower-casing names and joining repeats', () => {
    expect(
      visibleHeaders({
        Authorization: 'Bearer t',
        apikey: 'k',
        'X-API-Key': 'k',
        cookie: 'c',
        'x-dispatch-gateway-secret': 's',
        'x-consumer-username': 'shop',
        'X-Trace': 't',
        accept: ['a', 'b'],
      }),
    ).toEqual({ 'x-trace': 't', accept: 'a, b' });
  });

  it("builds httpContext with the structured fields and Dispatch's flat ones", () => {
    const http = httpContextOf({
      method: 'post',
      path: '/a',
      rawQuery: 'x=1&x=2',
      headers: { 'user-agent': 'u' },
      subject: 's',
      scheme: 'https',
    });
    expect(http).toEqual({
      'user-agent': 'u',
      uri: '/a',
      args: 'x=1&x=2',
      'request-uri': '/a?x=1&x=2',
      scheme: 'https',
      method: 'POST',
      path: '/a',
      query: { x: ['1', '2'] },
      headers: { 'user-agent': 'u' },
      subject: 's',
    });
    expect(httpContextOf({ method: 'GET', path: '', rawQuery: '', headers: {}, subject: null, scheme: 'http' }).path).toBe('/');
  });

  it('reads the body by its content type', () => {
    expect(inputOf(Buffer.from('{"a":1}'), 'application/vnd.api+json; charset=utf-8', '')).toEqual({ a: 1 });
    expect(inputOf(Buffer.from('a=1&b=2'), 'application/x-www-form-urlencoded', '')).toEqual({ a: '1', b: '2' });
    expect(inputOf(Buffer.from('hé'), 'text/csv', '')).toBe('hé');
    expect(inputOf(Buffer.from([1, 2]), undefined, '')).toEqual({ contentType: 'application/octet-stream', base64: 'AQI=' });
    expect(inputOf(undefined, undefined, 'q=1')).toEqual({ q: '1' });
    expect(inputOf(Buffer.alloc(0), 'text/plain', '')).toEqual({});
    expect(() => inputOf(Buffer.from('{'), 'application/json', '')).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_JSON }));
  });
});

describe('invoke response mapping', () => {
  const finished = (
    output: unknown,
    status: RunStatus = RunStatus.SUCCEEDED,
    error: { type: RunErrorType; message: string } | null = null,
  ) => runViewOf(Object.assign(runOf(), { status, output, error }));

  it("answers the function's {statusCode, headers, body}, dropping framing headers", () => {
    const r = responseOf(finished({ statusCode: 404, headers: { 'X-A': 1, 'Content-Length': '9' }, body: 'nope' }));
    expect(r.statusCode).toBe(404);
    expect(r.headers).toEqual({ 'x-a': '1', 'content-type': 'text/plain; charset=utf-8' });
    expect(r.body.toString()).toBe('nope');
    const json = responseOf(finished({ statusCode: 200, body: { a: 1 } }));
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(json.body.toString())).toEqual({ a: 1 });
    expect(responseOf(finished({ statusCode: 200, body: 'AQI=', isBase64Encoded: true })).body).toEqual(Buffer.from([1, 2]));
  });

  it('answers any other output as 200 JSON, a lookalike with extra keys included', () => {
    const r = responseOf(finished({ statusCode: 201, other: true }));
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body.toString())).toEqual({ statusCode: 201, other: true });
    expect(responseOf(finished(null)).body.toString()).toBe('null');
  });

  it('throws the error of a failed run by its type', () => {
    const codeOf = (run: ReturnType<typeof finished>) => {
      try {
        responseOf(run);
      } catch (err) {
        return (err as DispatchError).code;
      }
      return undefined;
    };
    expect(codeOf(finished(null, RunStatus.FAILED, { type: RunErrorType.InputError, message: 'm' }))).toBe(ErrorCode.INPUT_REJECTED);
    expect(codeOf(finished(null, RunStatus.FAILED, { type: RunErrorType.FunctionError, message: 'm' }))).toBe(ErrorCode.FUNCTION_FAILED);
    expect(codeOf(finished(null, RunStatus.FAILED, { type: RunErrorType.SystemError, message: 'm' }))).toBe(ErrorCode.PROVIDER_ERROR);
    expect(codeOf(finished(null, RunStatus.TIMED_OUT, { type: RunErrorType.FunctionError, message: 'm' }))).toBe(
      ErrorCode.FUNCTION_TIMED_OUT,
    );
  });
});
