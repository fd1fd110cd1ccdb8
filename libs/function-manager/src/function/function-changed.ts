import type { EntityChangedEvent } from '@dispatch/contracts';
import type { FunctionRecord } from './function.entity';

/** The `function.function.changed.v1` fact of a function as it now is. */
export function changedEvent(fn: FunctionRecord): EntityChangedEvent {
  return { id: fn.id, org: fn.org, name: fn.name, status: fn.status, revision: fn.latestVersion };
}
