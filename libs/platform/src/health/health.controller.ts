import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '../errors/dispatch-error';
import { ReadinessChecks, type ReadinessReport } from './readiness';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly readiness: ReadinessChecks) {}

  @Get('healthz')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Liveness: the process serves HTTP' })
  alive(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Readiness: the store and the bus answer' })
  async ready(): Promise<ReadinessReport> {
    const report = await this.readiness.run();
    if (!report.ready) {
      throw new DispatchError(ErrorCode.SERVICE_UNAVAILABLE, 'not ready: a dependency does not answer', report.checks);
    }
    return report;
  }
}
