import { Controller } from '@nestjs/common';
import type { RunRequestedEvent } from '@dispatch/contracts';
import { BusPayload, OnEvent } from '@dispatch/platform';
import { RunsService } from '../run/runs.service';

/** Executes async runs; a redelivered event finds its run no longer INITIALIZED and does nothing. */
@Controller()
export class RunRequestedHandler {
  constructor(private readonly runs: RunsService) {}

  @OnEvent('function.run.requested.v1', 'function-manager')
  async requested(@BusPayload() event: RunRequestedEvent): Promise<void> {
    if (typeof event?.runId !== 'string') return;
    await this.runs.executeQueued(event.runId);
  }
}
