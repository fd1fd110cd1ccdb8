import { applyDecorators, Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, type Page, type Principal } from '@dispatch/contracts';
import {
  ApiErrors,
  ApiPageQuery,
  ApiPageResponse,
  ApiZodBody,
  ApiZodResponse,
  Authorize,
  CurrentPrincipal,
  DispatchError,
  exampleOf,
  parsePageQuery,
  ZodPipe,
} from '@dispatch/platform';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, IdempotentRuns } from '../invoke/idempotent-runs';
import { ApiRunFilters, RUN_FILTERS, runBody, type RunBody, runFilter } from './run.dto';
import { RunsService } from './run.service';
import { type RunView, runViewSchema } from './run-view';

/** How a run is answered: at once when it ran (blocking), or accepted to run (async). */
const ApiRunStarted = (): MethodDecorator =>
  applyDecorators(
    ApiZodResponse(200, runViewSchema, {
      description: 'A blocking run, finished: SUCCEEDED, FAILED or TIMED_OUT, with its output or error.',
    }),
    ApiZodResponse(202, runViewSchema, {
      description: 'An async run, accepted and queued (INITIALIZED): poll GET /v1/runs/{id}.',
      example: {
        ...(exampleOf(runViewSchema) as RunView),
        blocking: false,
        status: 'INITIALIZED',
        output: null,
        logs: { stdout: [], stderr: [] },
        startedTime: null,
        finishedTime: null,
        durationMs: null,
      },
    }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: "A repeat of the request with this key within the window answers with the first run's, instead of running again.",
    }),
    ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.FUNCTION_NOT_READY, ErrorCode.QUOTA_EXCEEDED, ErrorCode.IDEMPOTENCY_KEY_REUSED),
  );

/**
 * Runs: `POST /v1/runs?functionName=F` (Dispatch's shape) and `POST /v1/function/{name}/runs`.
 * Blocking answers 200 with the finished run; async answers 202 with the run, to poll at
 * `GET /v1/runs/{id}`. Starting a run takes `execute` on `function`; reading runs, `run`.
 */
@ApiTags('runs')
@Controller('v1')
export class RunsController {
  constructor(
    private readonly runs: RunsService,
    private readonly idempotent: IdempotentRuns,
  ) {}

  @Post('runs')
  @Authorize('function', 'execute')
  @ApiZodBody(runBody)
  @ApiQuery({ name: 'functionName', required: true, type: String, description: 'The function to run.' })
  @ApiRunStarted()
  async runByQuery(
    @CurrentPrincipal() p: Principal,
    @Query('functionName') functionName: string | undefined,
    @Body(new ZodPipe(runBody)) body: RunBody,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RunView> {
    if (!functionName)
      throw new DispatchError(ErrorCode.VALIDATION_FAILED, 'functionName: name the function to run, e.g. POST /v1/runs?functionName=hello');
    return this.start(p, functionName, body, request, reply);
  }

  @Post('function/:name/runs')
  @Authorize('function', 'execute')
  @ApiZodBody(runBody)
  @ApiRunStarted()
  async runByPath(
    @CurrentPrincipal() p: Principal,
    @Param('name') name: string,
    @Body(new ZodPipe(runBody)) body: RunBody,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RunView> {
    return this.start(p, name, body, request, reply);
  }

  @Get('runs')
  @Authorize('run', 'list')
  @ApiRunFilters(true)
  @ApiPageQuery()
  @ApiPageResponse(runViewSchema, { description: 'Runs, newest first.' })
  @ApiErrors()
  list(@CurrentPrincipal() p: Principal, @Query() query: Record<string, string>): Promise<Page<RunView>> {
    return this.runs.list(p.org, new ZodPipe(runFilter).transform(query), parsePageQuery(query, RUN_FILTERS));
  }

  @Get('function/:name/runs')
  @Authorize('run', 'list')
  @ApiRunFilters(false)
  @ApiPageQuery()
  @ApiPageResponse(runViewSchema, { description: "The function's runs, newest first." })
  @ApiErrors()
  listOfFunction(
    @CurrentPrincipal() p: Principal,
    @Param('name') name: string,
    @Query() query: Record<string, string>,
  ): Promise<Page<RunView>> {
    return this.runs.list(
      p.org,
      { ...new ZodPipe(runFilter).transform(query), functionName: name },
      parsePageQuery(
        query,
        RUN_FILTERS.filter((f) => f !== 'functionName'),
      ),
    );
  }

  @Get('runs/:id')
  @HttpCode(200)
  @Authorize('run', 'get')
  @ApiZodResponse(200, runViewSchema, { description: 'The run.' })
  @ApiErrors(ErrorCode.NOT_FOUND)
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<RunView> {
    return this.runs.get(p.org, id);
  }

  private async start(p: Principal, functionName: string, body: RunBody, request: FastifyRequest, reply: FastifyReply): Promise<RunView> {
    const { run, replayed } = await this.idempotent.once({ org: p.org, functionName }, request.headers[IDEMPOTENCY_KEY_HEADER], body, () =>
      this.runs.start(
        p.org,
        functionName,
        { input: body.input, blocking: body.blocking, secrets: body.secrets },
        { kind: 'api', id: String(request.id) },
      ),
    );
    if (replayed) void reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
    void reply.status(body.blocking ? 200 : 202);
    return run;
  }
}
