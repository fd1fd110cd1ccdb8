import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { Logger } from 'pino';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '@dispatch/contracts';
import { ApiPublicErrors } from '../api/api-errors';
import { ApiZodResponse } from '../api/api-schemas';
import { DispatchError } from '../errors/dispatch-error';
import { livenessViewSchema, readinessViewSchema } from './health-view';
import { ReadinessChecks, type ReadinessReport } from './readiness';
import { LOGGER } from '../tokens';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly readiness: ReadinessChecks,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get('healthz')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Liveness: the process serves HTTP' })
  @ApiZodResponse(200, livenessViewSchema, { description: 'The process serves HTTP.' })
  @ApiPublicErrors()
  alive(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Readiness: the store and the bus answer' })
  @ApiZodResponse(200, readinessViewSchema, { description: 'Every dependency answers.' })
  // SERVICE_UNAVAILABLE (503), which every route can answer, is how it says a dependency does not: `details` names the failing checks.
  @ApiPublicErrors()
  async ready(): Promise<ReadinessReport> {
    const report = await this.readiness.run();
    if (!report.ready) {
      // The causes name hosts and ports: they go to the log, and the unauthenticated caller
      // learns only which check failed.
      this.logger.warn({ checks: report.checks }, 'not ready');
      const checks = Object.fromEntries(Object.entries(report.checks).map(([name, r]) => [name, r === 'ok' ? 'ok' : 'failing']));
      throw new DispatchError(ErrorCode.SERVICE_UNAVAILABLE, 'not ready: a dependency does not answer; the server log says why', checks);
    }
    return report;
  }
}
