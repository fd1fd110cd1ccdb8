import {
  BadRequestException,
  ConflictException,
  GatewayTimeoutException,
  HttpException,
  MethodNotAllowedException,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError, HTTP_STATUS_OF } from './dispatch-error';
import { QueryFailedError } from 'typeorm';
import { STORE_UNAVAILABLE_MESSAGE, toErrorBody } from './to-error-body';

describe('toErrorBody', () => {
  it('gives every error code an HTTP status in the 4xx/5xx range', () => {
    for (const code of Object.values(ErrorCode)) {
      expect(HTTP_STATUS_OF[code]).toBeGreaterThanOrEqual(400);
      expect(HTTP_STATUS_OF[code]).toBeLessThan(600);
    }
  });

  it('keeps a DispatchError code, message and details', () => {
    expect(toErrorBody(new DispatchError(ErrorCode.NAME_CONFLICT, 'taken', { name: 'x' }))).toEqual({
      status: 409,
      body: { code: 'NAME_CONFLICT', message: 'taken', details: { name: 'x' } },
      internal: false,
    });
  });

  it('maps framework exceptions by status', () => {
    expect(toErrorBody(new NotFoundException('Cannot GET /x')).body.code).toBe('ROUTE_NOT_FOUND');
    expect(toErrorBody(new HttpException('Request body is too large', 413)).body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(toErrorBody(new BadRequestException('bad')).body.code).toBe('VALIDATION_FAILED');
  });

  it('keeps the status of every 4xx exception and tells entity 404s from unknown routes', () => {
    expect(toErrorBody(new ConflictException('exists'))).toMatchObject({ status: 409, body: { code: 'VALIDATION_FAILED' } });
    expect(toErrorBody(new MethodNotAllowedException())).toMatchObject({ status: 405, internal: false });
    expect(toErrorBody(new UnprocessableEntityException())).toMatchObject({ status: 422 });
    expect(toErrorBody(new NotFoundException('widget w not found')).body.code).toBe('NOT_FOUND');
    expect(toErrorBody(new GatewayTimeoutException())).toMatchObject({ status: 500, internal: true });
  });

  it('keeps the problems of a validation exception as details', () => {
    const mapped = toErrorBody(new BadRequestException(['name must be a string', 'tags must be an array']));
    expect(mapped.body).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'name must be a string; tags must be an array',
      details: { problems: ['name must be a string', 'tags must be an array'] },
    });
  });

  it('passes on a client error code another service answered over the bus, but not an internal one', () => {
    const remote = (code: string) => Object.assign(new Error('name "a" is taken'), { name: 'BusRemoteError', code });
    expect(toErrorBody(remote('NAME_CONFLICT'))).toMatchObject({
      status: 409,
      body: { code: 'NAME_CONFLICT', message: 'name "a" is taken' },
    });
    expect(toErrorBody(remote('INTERNAL'))).toMatchObject({ status: 500, internal: true });
    expect(toErrorBody(remote('SOMETHING_ELSE')).status).toBe(500);
  });

  it('maps a bus timeout to 504 and anything unknown to an opaque 500', () => {
    expect(toErrorBody(Object.assign(new Error('x'), { code: 'BUS_TIMEOUT' })).status).toBe(504);
    const unknown = toErrorBody(new TypeError('cannot read foo of undefined at /srv/app.js:1'));
    expect(unknown).toMatchObject({ status: 500, internal: true, body: { code: 'INTERNAL' } });
    expect(unknown.body.message).not.toContain('/srv');
  });

  it('answers 503 STORE_UNAVAILABLE with a retry hint when the database cannot be reached, never 500', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const wrapped = new QueryFailedError('SELECT 1', [], refused);
    const shutdown = new QueryFailedError(
      'SELECT 1',
      [],
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    );
    for (const err of [refused, wrapped, shutdown, new Error('Connection terminated unexpectedly')]) {
      expect(toErrorBody(err)).toEqual({
        status: 503,
        body: { code: 'STORE_UNAVAILABLE', message: STORE_UNAVAILABLE_MESSAGE },
        internal: true,
        retryAfterSeconds: 2,
      });
    }
    expect(toErrorBody(new DispatchError(ErrorCode.STORE_UNAVAILABLE, 'runs cannot be recorded now'))).toMatchObject({
      status: 503,
      retryAfterSeconds: 2,
      internal: false,
    });
    const refusedStatement = new QueryFailedError('INSERT', [], Object.assign(new Error('duplicate key'), { code: '23505' }));
    expect(toErrorBody(refusedStatement)).toMatchObject({ status: 500, internal: true });
  });
});
