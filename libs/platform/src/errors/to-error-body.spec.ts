import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError, HTTP_STATUS_OF } from './dispatch-error';
import { toErrorBody } from './to-error-body';

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

  it('maps a bus timeout to 504 and anything unknown to an opaque 500', () => {
    expect(toErrorBody(Object.assign(new Error('x'), { code: 'BUS_TIMEOUT' })).status).toBe(504);
    const unknown = toErrorBody(new TypeError('cannot read foo of undefined at /srv/app.js:1'));
    expect(unknown).toMatchObject({ status: 500, internal: true, body: { code: 'INTERNAL' } });
    expect(unknown.body.message).not.toContain('/srv');
  });
});
