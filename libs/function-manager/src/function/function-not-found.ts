import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';

/** The one way a function that does not exist (in the caller's org) is answered. */
export function functionNotFound(name: string): DispatchError {
  return new DispatchError(ErrorCode.NOT_FOUND, `function "${name}" not found`);
}
