import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { BUS, type Bus } from '@dispatch/bus';
import { registerAuditHook } from '../audit/audit-hook';
import { BusTransport } from '../bus/bus-transport';
import type { BaseConfig } from '../config/config';
import { ErrorFilter } from '../errors/error-filter';
import { PinoNestLogger } from '../logging/nest-logger';
import { Metrics } from '../metrics/metrics';
import { useLeanAsyncResourceBind } from './async-resource-bind';
import { withApiSchemaComponents } from '../api/api-schemas';
import { registerClosingRefusal } from './closing';
import { answerClientError, answerFrameworkError, PATH_PARAMETER_MAX_LENGTH } from './framework-errors';
import { registerJsonBodyParser } from './json-body-parser';
import { registerMethodNotAllowed } from './method-not-allowed';
import { registerQueryEncodingCheck } from './query-encoding';
import { registerStorableInputCheck } from './storable-values';
import multipart from '@fastify/multipart';
import { requestIdOf } from './request-id';

/** Probes and scrapes arrive every few seconds; at info they would drown the request log. */
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

export interface HttpAppOptions {
  config: Pick<BaseConfig, 'BODY_LIMIT_BYTES'>;
  logger: Logger;
  title: string;
  version: string;
  /** Recorded as `service` in audit events; default 'dispatch'. */
  serviceName?: string;
}

/**
 * Builds the HTTP app every Dispatch process serves: Fastify under NestJS, request ids, one
 * request log line and one histogram sample per request, the error filter, OpenAPI at /docs.
 * The root module must import PlatformModule.forRoot(...).
 */
export async function createHttpApp(rootModule: Type<unknown> | DynamicModule, options: HttpAppOptions): Promise<NestFastifyApplication> {
  useLeanAsyncResourceBind();
  const adapter = new FastifyAdapter({
    bodyLimit: options.config.BODY_LIMIT_BYTES,
    genReqId: requestIdOf,
    logger: false,
    routerOptions: { maxParamLength: PATH_PARAMETER_MAX_LENGTH },
    // Errors Fastify answers on its own, before any hook or filter, get the error body too.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      answerFrameworkError(error, request, reply);
      // The router's own refusals skip the onResponse hook; they are logged and counted all the same.
      observe(request, reply);
    },
    clientErrorHandler: answerClientError,
    return503OnClosing: false, // registerClosingRefusal answers instead, in the error body
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    logger: new PinoNestLogger(options.logger),
    abortOnError: false,
    bodyParser: false,
  });
  const metrics = app.get(Metrics);
  const fastify = app.getHttpAdapter().getInstance();
  // First, so it sees every route added after it (Nest adds the controllers' at init).
  registerMethodNotAllowed(fastify);
  registerClosingRefusal(fastify);
  registerQueryEncodingCheck(fastify);
  registerJsonBodyParser(fastify, options.config.BODY_LIMIT_BYTES);
  registerStorableInputCheck(fastify);
  // The content-type parser must sit on the Fastify instance, so it is registered here; only the
  // routes that read uploads parse them, each with its own limits (request.parts({ limits })).
  // Without them the plugin's defaults hold: 1000 parts, files no larger than the JSON body limit.
  await app.register(multipart as never);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  /** One log line and one histogram sample per request; called only once the app serves, so metrics is set. */
  function observe(request: FastifyRequest, reply: FastifyReply): void {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.httpDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, seconds);
    const level = QUIET_ROUTES.has(route) ? 'debug' : 'info';
    if (options.logger.isLevelEnabled(level)) {
      options.logger[level](
        { reqId: request.id, method: request.method, route, status: reply.statusCode, ms: reply.elapsedTime },
        'request',
      );
    }
  }
  fastify.addHook('onResponse', (request, reply, done) => {
    observe(request, reply);
    done();
  });
  app.useGlobalFilters(new ErrorFilter(options.logger));

  // OpenAPI 3.1: its schemas are JSON Schema 2020-12, which is what the zod schemas are written as.
  const document = withApiSchemaComponents(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setOpenAPIVersion('3.1.0')
        .setTitle(options.title)
        .setVersion(options.version)
        .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
        .build(),
    ),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
  // Bus handlers (@OnEvent/@OnRequest) ride the same app; hosts without a bus simply have none.
  const bus = busOf(app);
  // Every /v1 mutation, allowed or refused, goes to identity-manager's audit log over the bus.
  if (bus) registerAuditHook(app, { serviceName: options.serviceName ?? 'dispatch', bus, logger: options.logger });
  if (bus) {
    app.connectMicroservice({ strategy: new BusTransport(bus) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  await app.init();
  return app;
}

function busOf(app: NestFastifyApplication): Bus | undefined {
  try {
    return app.get<Bus>(BUS, { strict: false });
  } catch {
    return undefined; // Nest has no "has provider"; an absent token throws
  }
}
