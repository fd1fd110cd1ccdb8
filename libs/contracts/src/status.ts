/** Lifecycle of every entity (DESIGN §6). */
export const EntityStatus = {
  INITIALIZED: 'INITIALIZED',
  CREATING: 'CREATING',
  READY: 'READY',
  UPDATING: 'UPDATING',
  DELETING: 'DELETING',
  ERROR: 'ERROR',
} as const;
export type EntityStatus = (typeof EntityStatus)[keyof typeof EntityStatus];

/** Statuses a reconcile loop has nothing left to do for. */
export const TERMINAL_ENTITY_STATUSES: readonly EntityStatus[] = [EntityStatus.READY, EntityStatus.ERROR];

/** Lifecycle of a function run. */
export const RunStatus = {
  INITIALIZED: 'INITIALIZED',
  RUNNING: 'RUNNING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  TIMED_OUT: 'TIMED_OUT',
} as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = [RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.TIMED_OUT];

/** Error types of a run (DESIGN §7). */
export const RunErrorType = {
  InputError: 'InputError',
  FunctionError: 'FunctionError',
  SystemError: 'SystemError',
} as const;
export type RunErrorType = (typeof RunErrorType)[keyof typeof RunErrorType];
