import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, type Principal } from '@dispatch/contracts';
import { ApiPageQuery, ApiZodBody, Authorize, CurrentPrincipal, DispatchError, parsePageQuery, ZodPipe } from '@dispatch/platform';
import { ApiRunFilters, RUN_FILTERS, runBody, type RunBody, runFilter } from './run.dto';
import { RunsService } from './run.service';

/**
 * Runs: `POST /v1/runs?functionName=F` (Dispatch's shape) and `POST /v1/function/{name}/runs`.
 * Blocking answers 200 with the finished run; async answers 202 with the run, to poll at
 * `GET /v1/runs/{id}`. Starting a run takes `execute` on `function`; reading runs, `run`.
 */
@ApiTags('runs')
@Controller('v1')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Post('runs')
  @Authorize('function', 'execute')
  @ApiZodBody(runBody)
  @ApiQuery({ name: 'functionName', required: true, type: String, description: 'The function to run.' })
  async runByQuery(
    @CurrentPrincipal() p: Principal,
    @Query('functionName') functionName: string | undefined,
    @Body(new ZodPipe(runBody)) body: RunBody,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (!functionName)
      throw new DispatchError(ErrorCode.VALIDATION_FAILED, 'functionName: name the function to run, e.g. POST /v1/runs?functionName=hello');
    return this.start(p, functionName, body, request, reply);
  }

  @Post('function/:name/runs')
  @Authorize('function', 'execute')
  @ApiZodBody(runBody)
  async runByPath(
    @CurrentPrincipal() p: Principal,
    @Param('name') name: string,
    @Body(new ZodPipe(runBody)) body: RunBody,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.start(p, name, body, request, reply);
  }

  @Get('runs')
  @Authorize('run', 'list')
  @ApiRunFilters(true)
  @ApiPageQuery()
  list(@CurrentPrincipal() p: Principal, @Query() query: Record<string, string>) {
    return this.runs.list(p.org, new ZodPipe(runFilter).transform(query), parsePageQuery(query, RUN_FILTERS));
  }

  @Get('function/:name/runs')
  @Authorize('run', 'list')
  @ApiRunFilters(false)
  @ApiPageQuery()
  listOfFunction(@CurrentPrincipal() p: Principal, @Param('name') name: string, @Query() query: Record<string, string>) {
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
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.runs.get(p.org, id);
  }

  private async start(p: Principal, functionName: string, body: RunBody, request: FastifyRequest, reply: FastifyReply) {
    const run = await this.runs.start(
      p.org,
      functionName,
      { input: body.input, blocking: body.blocking, secrets: body.secrets },
      { kind: 'api', id: String(request.id) },
    );
    void reply.status(body.blocking ? 200 : 202);
    return run;
  }
}
