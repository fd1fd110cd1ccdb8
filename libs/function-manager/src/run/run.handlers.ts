import { Controller } from '@nestjs/common';
import type { RunRequestedEvent } from '@dispatch/contracts';
import { BusPayload, OnEvent } from '@dispatch/platform';
import { RunQueue } from '../reconcile/run-queue';

/** Another service queued a run: its function's queue is looked at. The run table, not this event, holds the run. */
@Controller()
export class RunRequestedHandler {
  constructor(private readonly queue: RunQueue) {}

  @OnEvent('function.run.requested.v1', 'function-manager')
  requested(@BusPayload() event: RunRequestedEvent): void {
    this.queue.wake({ org: event.org, functionName: event.functionName });
  }
}
