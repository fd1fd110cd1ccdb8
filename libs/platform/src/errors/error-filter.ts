import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { type Observable, throwError } from 'rxjs';
import { ErrorCode } from '@dispatch/contracts';
import { sendErrorBody } from './send-error';
import { toErrorBody } from './to-error-body';

/** The one place errors become HTTP answers: `{code, message, details?, requestId}`, no stack. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(err: unknown, host: ArgumentsHost): Observable<never> | void {
    // Bus handlers: give the original error back, so the transport naks and logs it as it is.
    if (host.getType() === 'rpc') return throwError(() => err);
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const mapped = toErrorBody(err);
    if (mapped.body.code === ErrorCode.STORE_UNAVAILABLE) {
      // One line per request, without the stack: an outage fails every request the same way.
      this.logger.warn(
        { reqId: request.id, route: request.routeOptions?.url, cause: (err as Error)?.message },
        'request failed: the database does not answer',
      );
    } else if (mapped.internal) {
      this.logger.error({ err, reqId: request.id, route: request.routeOptions?.url }, 'request failed');
    }
    sendErrorBody(reply, request.id, mapped);
  }
}
