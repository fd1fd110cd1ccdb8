import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';
import { FUNCTION_CONFIG, type FunctionConfig } from '../function-config';
import { RunsService } from '../run/run.service';
import type { RunView } from '../run/run-view';
import { IdempotencyKeyRepository, type KeyRef } from './idempotency-key.repository';

/** The request header naming a run request's idempotency key. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Set on an answer that repeats the first run's instead of running again. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

/** Printable ASCII, as the IETF Idempotency-Key draft's keys are (UUIDs in practice). */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** How often a repeat looks whether the first request's run has been named yet. */
const POLL_MS = 25;
/** How long a repeat waits for a run the first request answered on another replica to be committed. */
const RECORD_WAIT_MS = 5000;

/** A run and whether it is the answer of an earlier request with the same key. */
export interface KeyedRun {
  run: RunView;
  replayed: boolean;
}

/** A JSON text of `value` whose object keys are sorted, so equal requests hash alike. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function requestHashOf(request: unknown): string {
  return createHash('sha256').update(stableJson(request)).digest('hex');
}

/**
 * Runs a request at most once per Idempotency-Key (per org and function) within
 * IDEMPOTENCY_WINDOW_SECONDS: the first request claims the key in PostgreSQL and runs; a repeat is
 * answered with the first's run, waiting for it while it runs (so concurrent duplicates run once);
 * a different request under a key still in its window is refused with 422 IDEMPOTENCY_KEY_REUSED.
 */
@Injectable()
export class IdempotentRuns {
  constructor(
    private readonly keys: IdempotencyKeyRepository,
    private readonly runs: RunsService,
    @Inject(FUNCTION_CONFIG) private readonly config: FunctionConfig,
  ) {}

  async once(
    ref: { org: string; functionName: string },
    key: string | string[] | undefined,
    request: unknown,
    start: () => Promise<RunView>,
  ): Promise<KeyedRun> {
    if (key === undefined) return { run: await start(), replayed: false };
    if (Array.isArray(key) || !KEY_PATTERN.test(key)) {
      throw new DispatchError(
        ErrorCode.VALIDATION_FAILED,
        'Idempotency-Key: send one key of 1 to 255 printable ASCII characters without spaces, e.g. a UUID',
      );
    }
    const keyed: KeyRef = { ...ref, key };
    const hash = requestHashOf(request);
    for (;;) {
      if (await this.keys.claim(keyed, hash, this.config.IDEMPOTENCY_WINDOW_SECONDS)) {
        let run: RunView;
        try {
          run = await start();
        } catch (err) {
          await this.keys.release(keyed);
          throw err;
        }
        await this.keys.settle(keyed, run.id);
        return { run, replayed: false };
      }
      const state = await this.keys.find(keyed);
      // Released by a refused first request (or expired) meanwhile: claim it again.
      if (!state) continue;
      if (state.requestHash !== hash) {
        throw new DispatchError(
          ErrorCode.IDEMPOTENCY_KEY_REUSED,
          `Idempotency-Key "${key}" was used for a different request to function "${ref.functionName}" within the last ${this.config.IDEMPOTENCY_WINDOW_SECONDS} s; use a new key for a new request`,
        );
      }
      if (state.runId) return { run: await this.runOf(ref.org, state.runId), replayed: true };
      await delay(POLL_MS);
    }
  }

  /** The run, once its record is readable here: the first request may have been answered by another replica a moment ago. */
  private async runOf(org: string, id: string): Promise<RunView> {
    const until = Date.now() + RECORD_WAIT_MS;
    for (;;) {
      try {
        return await this.runs.get(org, id);
      } catch (err) {
        if (!(err instanceof DispatchError && err.code === ErrorCode.NOT_FOUND) || Date.now() > until) throw err;
        await delay(POLL_MS);
      }
    }
  }
}
