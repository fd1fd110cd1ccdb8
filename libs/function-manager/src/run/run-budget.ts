import type { ActiveFunction } from './active-function';
import { PROVIDER_GRACE_MS } from './run-executor';

/** Grace past a run's timeout before its deadline; the deadline tells how long a run may take, not when it is lost. */
export const LOST_RUN_GRACE_MS = 5000;

/** How long a run may take from its start: the function's timeout, the provider's grace, and ours. */
export function runBudgetMs(fn: ActiveFunction): number {
  return fn.spec.timeoutSeconds * 1000 + PROVIDER_GRACE_MS + LOST_RUN_GRACE_MS;
}

/** When a run started at `from` must have ended. */
export function deadlineOf(fn: ActiveFunction, from: Date): Date {
  return new Date(from.getTime() + runBudgetMs(fn));
}
