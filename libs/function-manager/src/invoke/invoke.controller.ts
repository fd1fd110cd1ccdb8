import { All, Controller, Inject, type OnModuleInit, Param, Req, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { ErrorCode, GATEWAY_API_HEADER } from '@dispatch/contracts';
import { type AuthorizedRequest, DispatchError, SelfAuthenticated } from '@dispatch/platform';
import { FUNCTION_CONFIG, type FunctionConfig } from '../function-config';
import { RunsService } from '../run/run.service';
import type { RunView } from '../run/run-view';
import { GatewayCaller } from './gateway-caller';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, IdempotentRuns } from './idempotent-runs';
import { httpContextOf, inputOf } from './invoke-request';
import { responseOf } from './invoke-response';
import { readLimited } from './read-limited';

/** How long a caller is told to wait while the function is being deployed or scaled. */
export const NOT_READY_RETRY_AFTER_SECONDS = 5;
/** The run an invocation started (or repeated), on every answer of the invoke route. */
export const RUN_ID_HEADER = 'x-dispatch-run-id';
/** Where invocations arrive: the only routes that take a body of any content type. */
export const INVOKE_PREFIX = '/v1/invoke/';

/**
 * Invocation through the gateway: `ANY /v1/invoke/{org}/{function}/{path…}` turns the HTTP request
 * into a blocking run and the run into the HTTP answer. Only the gateway calls it (GatewayCaller);
 * a tenant runs functions with POST /v1/runs.
 */
@Controller('v1/invoke')
export class InvokeController implements OnModuleInit {
  constructor(
    private readonly runs: RunsService,
    private readonly gateway: GatewayCaller,
    private readonly idempotent: IdempotentRuns,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(FUNCTION_CONFIG) private readonly config: FunctionConfig,
  ) {}

  /**
   * Lets the invoke route read bodies of any content type, as raw bytes up to
   * INVOKE_BODY_LIMIT_BYTES (JSON keeps the platform's parser). Every other route still refuses them
   * with 415, as the platform's parsers do: only JSON is read there.
   */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (!fastify || fastify.hasContentTypeParser('*')) return;
    const limit = this.config.INVOKE_BODY_LIMIT_BYTES;
    fastify.addContentTypeParser('*', (request: FastifyRequest, payload: Readable, done: (err: Error | null, body?: unknown) => void) => {
      if (!request.url.startsWith(INVOKE_PREFIX)) {
        done(new DispatchError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'unsupported Content-Type; send application/json'));
        return;
      }
      readLimited(payload, limit).then(
        (body) => done(null, body),
        (err: Error) => done(err),
      );
    });
  }

  @All([':org/:function', ':org/:function/*'])
  @SelfAuthenticated()
  // Not in the tenants' OpenAPI (nor the SDK): only the gateway calls it, with a secret tenants never
  // hold, and every method of every path is the same operation. The lib's README documents it.
  @ApiExcludeEndpoint()
  async invoke(
    @Param('org') org: string,
    @Param('function') functionName: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const subject = await this.gateway.subjectOf(org, request.headers);
    // An invocation is a run of the function, as POST /v1/runs is: its record is the run, so the
    // audit log skips it once allowed (refused ones, answered above, are audited like any request).
    (request as AuthorizedRequest).authzRequirement = { resource: 'function', action: 'execute' };
    const [pathname, rawQuery = ''] = splitUrl(request.url);
    // ['', 'v1', 'invoke', org, function, ...the function's own path]
    const path = `/${pathname.split('/').slice(5).join('/')}`;
    const body = request.body;
    const input = Buffer.isBuffer(body) || body === undefined ? inputOf(body, request.headers['content-type'], rawQuery) : body;
    const httpContext = httpContextOf({
      method: request.method,
      path,
      rawQuery,
      headers: request.headers,
      subject,
      scheme: headerOf(request, 'x-forwarded-proto') ?? request.protocol,
    });
    const apiName = headerOf(request, GATEWAY_API_HEADER);
    const trigger = { kind: 'api' as const, id: apiName ?? `${org}/${functionName}`, ...(subject ? { subject } : {}) };
    const { run, replayed } = await this.idempotent.once(
      { org, functionName },
      request.headers[IDEMPOTENCY_KEY_HEADER],
      { method: httpContext.method, path, query: httpContext.query, input },
      () => this.start(org, functionName, { input, httpContext, trigger }, reply),
    );
    void reply.header(RUN_ID_HEADER, run.id);
    if (replayed) void reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
    const answer = responseOf(run);
    void reply.status(answer.statusCode).headers(answer.headers).send(answer.body);
  }

  private async start(
    org: string,
    functionName: string,
    request: { input: unknown; httpContext: ReturnType<typeof httpContextOf>; trigger: { kind: 'api'; id: string; subject?: string } },
    reply: FastifyReply,
  ): Promise<RunView> {
    try {
      return await this.runs.start(
        org,
        functionName,
        { input: request.input, blocking: true, secrets: [], httpContext: request.httpContext },
        request.trigger,
      );
    } catch (err) {
      if (err instanceof DispatchError && err.code === ErrorCode.FUNCTION_NOT_READY) {
        void reply.header('retry-after', String(NOT_READY_RETRY_AFTER_SECONDS));
        throw new DispatchError(ErrorCode.FUNCTION_STARTING, `${err.message}; retry in ${NOT_READY_RETRY_AFTER_SECONDS} s`);
      }
      throw err;
    }
  }
}

function splitUrl(url: string): [string, string?] {
  const at = url.indexOf('?');
  return at < 0 ? [url] : [url.slice(0, at), url.slice(at + 1)];
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}
