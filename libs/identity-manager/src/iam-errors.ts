import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';

/** What every IAM collection answers for a name its org does not have. */
export function notFound(kind: string, name: string, code: ErrorCode = ErrorCode.NOT_FOUND): DispatchError {
  return new DispatchError(code, `${kind} "${name}" not found`);
}
