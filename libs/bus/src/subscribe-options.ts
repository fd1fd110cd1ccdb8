import type { SubscribeOptions } from './bus';
import { DEFAULT_ACK_WAIT_MS, DEFAULT_MAX_DELIVER, MAX_CONCURRENCY } from './defaults';

export type ResolvedSubscribeOptions = Required<SubscribeOptions>;

/** Defaults and bounds shared by both buses, so a setting valid in solo mode is valid in cluster mode. */
export function resolveSubscribeOptions(options: SubscribeOptions): ResolvedSubscribeOptions {
  const { group, ackWaitMs = DEFAULT_ACK_WAIT_MS, maxDeliver = DEFAULT_MAX_DELIVER, concurrency = 1 } = options;
  if (!group) throw new Error('a subscription needs a non-empty group');
  if (!Number.isInteger(ackWaitMs) || ackWaitMs <= 0) throw new Error(`ackWaitMs must be a positive integer, got ${ackWaitMs}`);
  if (!Number.isInteger(maxDeliver) || maxDeliver <= 0) throw new Error(`maxDeliver must be a positive integer, got ${maxDeliver}`);
  if (!Number.isInteger(concurrency) || concurrency <= 0 || concurrency > MAX_CONCURRENCY) {
    throw new Error(`concurrency must be an integer from 1 to ${MAX_CONCURRENCY}, got ${concurrency}`);
  }
  return { group, ackWaitMs, maxDeliver, concurrency };
}
