import { DispatchError, ErrorCode } from '@dispatch/contracts';
import {
  errorForBadBody,
  errorForStatus,
  errorForTransport,
  KongApiError,
  kongErrorBody,
  KongUnavailableError,
  transportCode,
} from './kong-errors';

const admin = 'http://kong-admin:8001';
const op = { action: 'upsert service hello' };
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe("Kong's error bodies, mapped in one place", () => {
  it('reads a DAO error (code, name, message, fields) and a bare {message}', () => {
    expect(
      kongErrorBody(
        json({
          code: 2,
          name: 'schema violation',
          message: 'schema violation (host: required field missing)',
          fields: { host: 'required field missing' },
        }),
      ),
    ).toEqual({
      code: 2,
      name: 'schema violation',
      message: 'schema violation (host: required field missing)',
      fields: { host: 'required field missing' },
    });
    expect(kongErrorBody(json({ message: 'Not found' }))).toEqual({ message: 'Not found' });
    expect(kongErrorBody('<html>Bad Gateway</html>\n')).toEqual({ message: '<html>Bad Gateway</html>' });
    expect(kongErrorBody(json({ message: 'x'.repeat(1000) })).message).toHaveLength(301);
    expect(kongErrorBody(json({ message: 'm', fields: ['not', 'a', 'record'], code: 'two' }))).toEqual({ message: 'm' });
  });

  it.each([
    [
      400,
      { code: 2, name: 'schema violation', message: 'schema violation (host: required field missing)' },
      /refused to upsert service hello \(HTTP 400 schema violation\): schema violation \(host: required field missing\); change what it names/,
    ],
    [404, { message: 'Not found' }, /\(HTTP 404\): Not found; it does not exist there$/],
    [
      409,
      { code: 5, name: 'unique constraint violation', message: 'UNIQUE violation detected on \'{name="hello"}\'' },
      /\(HTTP 409 unique constraint violation\).*another entity already holds that unique value/,
    ],
    [500, { message: 'An unexpected error occurred' }, /\(HTTP 500\): An unexpected error occurred; see Kong's error log/],
    [405, { message: 'Method not allowed' }, /\(HTTP 405\).*not what the Kong Admin API answers there/],
  ])('HTTP %i → KongApiError with status, Kong’s body and a message saying what to do', (status, body, message) => {
    const err = errorForStatus(op, status, json(body), admin);
    expect(err).toBeInstanceOf(KongApiError);
    expect(err).toMatchObject({ status, code: ErrorCode.PROVIDER_ERROR, httpStatus: 502, kong: body });
    expect(err.message).toMatch(message);
    expect(err.details).toMatchObject({ kong: admin, status });
  });

  it('exposes fields, isNotFound and isConflict', () => {
    const conflict = errorForStatus(
      op,
      409,
      json({ code: 5, name: 'unique constraint violation', message: 'm', fields: { name: 'hello' } }),
      admin,
    ) as KongApiError;
    expect(conflict.fields).toEqual({ name: 'hello' });
    expect([conflict.isConflict, conflict.isNotFound]).toEqual([true, false]);
    expect((errorForStatus(op, 404, undefined, admin) as KongApiError).fields).toEqual({});
  });

  it('never repeats what came with a 401/403 (a proxy may echo the token)', () => {
    const err = errorForStatus(op, 401, json({ message: 'bad token kong-admin-SECRET' }), admin) as KongApiError;
    expect(err.message).toMatch(/rejected the admin token \(HTTP 401\).*check the Kong-Admin-Token/);
    expect(JSON.stringify({ m: err.message, d: err.details, k: err.kong })).not.toContain('SECRET');
  });

  it('withholds what Kong said about a credential, keeping its name, code and which fields', () => {
    const body = json({
      code: 5,
      name: 'unique constraint violation',
      message: `UNIQUE violation detected on '{key="k-SECRET"}'`,
      fields: { key: 'k-SECRET' },
    });
    const err = errorForStatus({ action: 'upsert a key-auth key of consumer bob', secret: true }, 409, body, admin) as KongApiError;
    expect(err).toMatchObject({ status: 409, kong: { code: 5, name: 'unique constraint violation', fields: { key: '(withheld)' } } });
    expect(err.message).toMatch(/\(HTTP 409 unique constraint violation\): \(Kong's message is withheld: it may quote the credential\)/);
    expect(JSON.stringify({ m: err.message, d: err.details, k: err.kong })).not.toContain('SECRET');
  });

  it.each([502, 503, 504])('HTTP %i → KongUnavailableError (503): Kong is up, its database or upstream proxy is not', (status) => {
    const err = errorForStatus(op, status, json({ message: 'An unexpected error occurred' }), admin);
    expect(err).toBeInstanceOf(KongUnavailableError);
    expect(err).toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE, httpStatus: 503, failure: 'unavailable' });
  });

  it('maps transport failures to KongUnavailableError, looking through wrappers; a bug stays itself', () => {
    const refused = Object.assign(new Error('x'), {
      cause: new AggregateError([Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })]),
    });
    expect(transportCode(refused)).toBe('ECONNREFUSED');
    expect(errorForTransport(op, refused, admin, 1000)).toMatchObject({ failure: 'unreachable', httpStatus: 503 });
    const noSocket = errorForTransport(op, Object.assign(new Error('x'), { code: 'ENOENT' }), admin, 1000);
    expect(noSocket?.message).toBe(
      'the Kong Admin API at http://kong-admin:8001 is not reachable (ENOENT) to upsert service hello: check that Kong runs and that its admin URL is right',
    );
    const timedOut = errorForTransport(op, Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }), admin, 250);
    expect(timedOut).toMatchObject({ failure: 'timeout', details: { kong: admin, failure: 'timeout', cause: 'ETIMEDOUT' } });
    expect(timedOut?.message).toMatch(/did not answer within 250 ms when asked to upsert service hello/);
    expect(errorForTransport(op, new TypeError('a bug'), admin, 1000)).toBeUndefined();
  });

  it('a body that is not the Admin API’s is a KongApiError naming the problem', () => {
    const err = errorForBadBody(op, 'not JSON', 200, admin);
    expect(err).toBeInstanceOf(DispatchError);
    expect(err).toMatchObject({ status: 200, kong: { name: 'bad response', message: 'not JSON' } });
    expect(err.message).toMatch(/check that the URL points at Kong's Admin API/);
  });
});
