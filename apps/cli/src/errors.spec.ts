import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { DispatchApiError } from '@dispatch/sdk';
import { describeError, isConnectionFailure, ServerDownError } from './errors';
import { UsageError } from './output';

describe('errors', () => {
  it('gives an API error its code, message and requestId, exit 1', () => {
    const { message, exitCode } = describeError(new DispatchApiError(404, 'NOT_FOUND', 'secret "x" not found', undefined, 'req-1'));
    expect(message).toBe('error: NOT_FOUND: secret "x" not found (requestId req-1)');
    expect(exitCode).toBe(1);
  });

  it('says to log in again on a 401', () => {
    expect(describeError(new DispatchApiError(401, 'UNAUTHENTICATED', 'token expired', undefined, undefined)).message).toContain(
      'log in again: dispatch login',
    );
  });

  it('names the server and how to start solo mode when it does not answer', () => {
    const { message, exitCode } = describeError(new ServerDownError('http://127.0.0.1:9', new TypeError('fetch failed')));
    expect(message).toContain('http://127.0.0.1:9 does not answer');
    expect(message).toContain('npm start');
    expect(exitCode).toBe(1);
    expect(isConnectionFailure(new TypeError('fetch failed'))).toBe(true);
    expect(isConnectionFailure(new Error('other'))).toBe(false);
  });

  it('tells a refused connection from a server that is slow to answer', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    server.close();
    await once(server, 'close');
    const refused = await fetch(`http://127.0.0.1:${port}`).catch((e: unknown) => e);
    expect(isConnectionFailure(refused)).toBe(true);
    const slow = new TypeError('fetch failed', {
      cause: Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }),
    });
    expect(isConnectionFailure(slow)).toBe(false);
  });

  it('exits 2 on usage mistakes', () => {
    expect(describeError(new UsageError('bad')).exitCode).toBe(2);
  });
});
