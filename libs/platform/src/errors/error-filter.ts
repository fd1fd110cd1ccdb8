import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { toErrorBody } from './to-error-body';

/** The one place errors become HTTP answers: `{code, message, details?, requestId}`, no stack. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const mapped = toErrorBody(err);
    if (mapped.internal) {
      this.logger.error({ err, reqId: request.id, route: request.routeOptions?.url }, 'request failed');
    }
    void reply
      .status(mapped.status)
      .header('content-type', 'application/json; charset=utf-8')
      .send({ ...mapped.body, requestId: request.id });
  }
}
