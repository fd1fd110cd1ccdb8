import { Controller } from '@nestjs/common';
import type { RunRequestedEvent } from '@dispatch/contracts';
import { BusContext, BusCtx, BusPayload, OnEvent } from '@dispatch/platform';
import { RunsService } from '../run/runs.service';

/**
 * Requests of queued runs this process holds at once. Most of them wait for room (the function's
 * capacity, the org's quota), which costs only a timer each; the room decides what runs.
 */
const REQUESTS_IN_HAND = 256;
/** A request waiting for room tells the bus it is still in hand every third of this. */
const REQUEST_ACK_WAIT_MS = 30_000;
/**
 * A request whose handling throws (the database is away) comes back after a backoff that reaches
 * 30 s: this many deliveries keep a queued run waiting for about eight hours, never failing it.
 */
const REQUEST_MAX_DELIVER = 1000;

/** Executes queued runs; a request delivered again finds its run no longer INITIALIZED and does nothing. */
@Controller()
export class RunRequestedHandler {
  constructor(private readonly runs: RunsService) {}

  @OnEvent('function.run.requested.v1', 'function-manager', { concurrency: REQUESTS_IN_HAND, ackWaitMs: REQUEST_ACK_WAIT_MS, maxDeliver: REQUEST_MAX_DELIVER })
  async requested(@BusPayload() event: RunRequestedEvent, @BusCtx() context: BusContext): Promise<void> {
    const message = context.message;
    if (typeof event?.runId !== 'string' || !message) return;
    await this.runs.executeQueued(event.runId, {
      keepAlive: () => message.working(),
      keepAliveMs: REQUEST_ACK_WAIT_MS / 3,
      taken: () => message.ack(),
    });
  }
}
