import { randomUUID } from 'node:crypto';
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError, HTTP_STATUS_OF } from '../errors/dispatch-error';
import { sendErrorBody } from '../errors/send-error';
import { toErrorBody } from '../errors/to-error-body';

/** Longest path segment routed; names are at most 63 characters and ids 36, so this leaves room. */
export const PATH_PARAMETER_MAX_LENGTH = 100;

/**
 * Fastify's `frameworkErrors`: the router refuses a URL before any hook, route or Nest filter
 * sees it, and would answer in its own shape. Answered here in ours, with a code.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  void reply.header('x-request-id', request.id);
  sendErrorBody(reply, request.id, toErrorBody(dispatchErrorOf(error)));
}

function dispatchErrorOf(error: FastifyError): unknown {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return new DispatchError(
        ErrorCode.INVALID_URL,
        'the URL is not valid percent-encoding (e.g. "%ZZ", or a cut-short UTF-8 sequence); encode each reserved or non-ASCII character as %XX of its UTF-8 bytes',
      );
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new DispatchError(
        ErrorCode.PATH_PARAMETER_TOO_LONG,
        `a path parameter is longer than ${PATH_PARAMETER_MAX_LENGTH} characters; names are at most 63 characters and ids 36`,
      );
    default:
      return error;
  }
}

/**
 * Fastify's `clientErrorHandler`: Node's HTTP parser refused the bytes (not HTTP, headers over
 * its limit, too slow), so there is no request to reply to; the socket gets the answer directly.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  // A reset connection has nobody left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [code, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [ErrorCode.REQUEST_TIMEOUT, 'the request did not arrive in full in time; send it again']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [
            ErrorCode.HEADERS_TOO_LARGE,
            `the request line and headers are larger than ${maxHeaderSize} bytes; shorten the URL or the headers`,
          ]
        : [ErrorCode.MALFORMED_REQUEST, 'the request is not well-formed HTTP/1.1'];
  const status = HTTP_STATUS_OF[code];
  const body = JSON.stringify({ code, message, requestId: randomUUID() });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
