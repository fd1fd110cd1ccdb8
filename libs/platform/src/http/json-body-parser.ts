import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '../errors/dispatch-error';

/**
 * Fastify's own JSON parser (with prototype-poisoning protection), but failing with our codes:
 * NestJS turns Fastify parser errors into bare HttpExceptions, which would lose them.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  // JSON is the only text the API reads: a text/plain body would reach a handler as a string and
  // fail validation obscurely, where 415 says to send application/json.
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, raw, done) => {
    const body = raw as string;
    if (body === '') {
      done(
        new DispatchError(ErrorCode.INVALID_JSON, 'body is empty but Content-Type is application/json; send a JSON document'),
        undefined,
      );
      return;
    }
    parse(request, body, (err, value) => {
      if (err) done(new DispatchError(ErrorCode.INVALID_JSON, `body is not valid JSON: ${err.message}`), undefined);
      else done(null, value);
    });
  });
}
