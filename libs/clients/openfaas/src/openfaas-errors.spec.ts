import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';
import { assertFunctionName, qualifiedName } from './function-name';
import { displayUrl, errorForStatus, errorForTransport, isProviderTimeout, providerText, transportCode } from './openfaas-errors';

const provider = 'http://gateway:8080';
const named = { action: 'deploy function hello', functionName: 'hello' };
const unnamed = { action: 'read the gateway info' };

describe('the OpenFaaS error table', () => {
  it.each([
    [named, 404, ErrorCode.NOT_FOUND, /^function hello not found on the provider at http:\/\/gateway:8080: deploy it first/],
    [unnamed, 404, ErrorCode.PROVIDER_ERROR, /has no such route .* check that the URL points at an OpenFaaS gateway/],
    [named, 400, ErrorCode.PROVIDER_ERROR, /refused to deploy function hello \(HTTP 400\): image is required; change what it names/],
    [named, 401, ErrorCode.PROVIDER_ERROR, /rejected the gateway credentials \(HTTP 401\).*check the basic-auth user and password/],
    [named, 403, ErrorCode.PROVIDER_ERROR, /rejected the gateway credentials \(HTTP 403\)/],
    [named, 405, ErrorCode.PROVIDER_ERROR, /answered HTTP 405 when asked to deploy function hello: image is required/],
    [named, 500, ErrorCode.PROVIDER_ERROR, /failed to deploy function hello \(HTTP 500\): image is required; see the provider's logs/],
    [named, 502, ErrorCode.SERVICE_UNAVAILABLE, /is unavailable \(HTTP 502\).*retry later/],
    [named, 503, ErrorCode.SERVICE_UNAVAILABLE, /is unavailable \(HTTP 503\)/],
    [named, 504, ErrorCode.SERVICE_UNAVAILABLE, /is unavailable \(HTTP 504\)/],
    [named, 302, ErrorCode.PROVIDER_ERROR, /answered HTTP 302 .* not what the OpenFaaS gateway API answers there/],
  ])('%j, HTTP %i → %s', (op, status, code, message) => {
    const err = errorForStatus(op, status, Buffer.from('image is required\n'), provider);
    expect(err).toBeInstanceOf(DispatchError);
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.details).toMatchObject({ provider, status });
  });

  it('never repeats what the provider said next to a credentials error (it may echo the header)', () => {
    const err = errorForStatus(named, 401, 'bad credentials Basic YWRtaW46c2VjcmV0', provider);
    expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain('YWRtaW46c2VjcmV0');
  });

  it('reads a JSON {message} or plain text, on one line, capped', () => {
    expect(providerText(Buffer.from('{"message":"quota exceeded"}'))).toBe('quota exceeded');
    expect(providerText('line one\n  line two ')).toBe('line one line two');
    expect(providerText('x'.repeat(1000))).toHaveLength(301);
    expect(providerText(undefined)).toBe('');
  });

  it('maps transport failures, looking through axios wrappers and AggregateErrors', () => {
    const refused = Object.assign(new Error(''), {
      code: 'ERR_SOMETHING',
      cause: new AggregateError([Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })]),
    });
    expect(transportCode(refused)).toBe('ECONNREFUSED');
    const unreachable = errorForTransport(named, refused, provider, 1000)!;
    expect(unreachable.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    expect(unreachable.message).toBe(
      'function provider at http://gateway:8080 is not reachable (ECONNREFUSED): check that it is running and that its URL is right',
    );

    const timedOut = errorForTransport(named, Object.assign(new Error('timeout of 250ms exceeded'), { code: 'ETIMEDOUT' }), provider, 250)!;
    expect(isProviderTimeout(timedOut)).toBe(true);
    expect(timedOut.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    expect(timedOut.details).toEqual({ failure: 'timeout', timeoutMs: 250, provider });
    expect(timedOut.message).toMatch(/did not answer within 250 ms when asked to deploy function hello/);

    expect(errorForTransport(named, new TypeError('a bug'), provider, 1000)).toBeUndefined();
  });

  it('shows the provider URL without credentials', () => {
    expect(displayUrl(new URL('https://admin:pw@gateway.openfaas:8080/prefix/?x=1'))).toBe('https://gateway.openfaas:8080/prefix');
  });
});

describe('function names in paths', () => {
  it('admits DNS-1123 labels only, before any request', () => {
    expect(() => assertFunctionName('hello-world-2')).not.toThrow();
    for (const bad of ['', 'Hello', 'a.b', '../system/functions', 'a/b', 'a?b', '-a', 'a'.repeat(64)]) {
      expect(() => assertFunctionName(bad)).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED }));
    }
  });

  it('addresses a function of another namespace as name.namespace', () => {
    expect(qualifiedName('hello', undefined)).toBe('hello');
    expect(qualifiedName('hello', 'team-a')).toBe('hello.team-a');
  });
});
