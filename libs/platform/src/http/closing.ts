import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '../errors/dispatch-error';

/**
 * While the app closes, requests still arriving on open keep-alive connections are refused with
 * 503 SERVICE_UNAVAILABLE in the error body (Fastify's own `return503OnClosing` answers in its
 * shape), and the connection is closed so the client's next try opens a fresh one elsewhere.
 * Requests already in flight finish as usual. Needs `return503OnClosing: false`.
 */
export function registerClosingRefusal(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    void reply.header('connection', 'close');
    done(
      new DispatchError(
        ErrorCode.SERVICE_UNAVAILABLE,
        'this server is stopping; send the request again (it will reach another instance, or this one once restarted)',
      ),
    );
  });
}
