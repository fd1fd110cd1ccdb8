import { PassThrough } from 'node:stream';
import { answerClientError } from './framework-errors';

/** What a socket was sent, once it is destroyed. */
function answerTo(code: string): { status: number; body: Record<string, unknown> } {
  const socket = new PassThrough();
  let written = '';
  socket.write = ((chunk: string) => {
    written += chunk;
    return true;
  }) as typeof socket.write;
  socket.on('error', () => undefined);
  answerClientError(Object.assign(new Error('parse error'), { code }), socket);
  expect(socket.destroyed).toBe(true);
  const [head, body] = written.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), body: JSON.parse(body) as Record<string, unknown> };
}

describe('answerClientError', () => {
  it('answers what the HTTP parser refused in the error body', () => {
    expect(answerTo('HPE_HEADER_OVERFLOW')).toMatchObject({
      status: 431,
      body: { code: 'HEADERS_TOO_LARGE', requestId: expect.any(String) },
    });
    expect(answerTo('ERR_HTTP_REQUEST_TIMEOUT')).toMatchObject({ status: 408, body: { code: 'REQUEST_TIMEOUT' } });
    expect(answerTo('HPE_INVALID_METHOD')).toMatchObject({
      status: 400,
      body: { code: 'MALFORMED_REQUEST', message: expect.stringContaining('HTTP') },
    });
  });

  it('writes nothing to a connection the client reset', () => {
    const socket = new PassThrough();
    const write = jest.spyOn(socket, 'write');
    answerClientError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }), socket);
    expect(write).not.toHaveBeenCalled();
  });
});
