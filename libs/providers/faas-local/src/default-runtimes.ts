import type { RuntimeShim } from '@dispatch/contracts';
import { nodejsRuntime } from '@dispatch/runtime-nodejs';
import { python3Runtime } from '@dispatch/runtime-python3';

/** The runtimes of libs/runtimes, by the DISPATCH_RUNTIME value that selects them. */
export function defaultRuntimes(): Record<string, RuntimeShim> {
  return { [nodejsRuntime.runtime]: nodejsRuntime, [python3Runtime.runtime]: python3Runtime };
}
