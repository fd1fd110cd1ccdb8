import { ErrorCode, isValidName } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';

/**
 * Function and namespace names this project puts into gateway paths and bodies: DNS-1123 labels
 * (ENDPOINTS.md, "Behaviour"). Checked before any request, so a name can never smuggle a `/`,
 * `.` or `?` into a path (the gateway splits `name.namespace` on the last dot), and a bad name is
 * a 400 of ours rather than a confusing 404 of the provider's.
 */
export function assertFunctionName(name: string): void {
  if (!isValidName(name)) {
    throw new DispatchError(
      ErrorCode.VALIDATION_FAILED,
      `function name ${JSON.stringify(name)} is not a DNS-1123 label: use 1-63 lower-case letters, digits and '-', starting and ending with a letter or digit`,
      { name },
    );
  }
}

export function assertNamespace(namespace: string): void {
  if (!isValidName(namespace)) {
    throw new DispatchError(
      ErrorCode.VALIDATION_FAILED,
      `OpenFaaS namespace ${JSON.stringify(namespace)} is not a DNS-1123 label: use 1-63 lower-case letters, digits and '-'`,
      { namespace },
    );
  }
}

/** `name` or `name.namespace`: how the call routes address a function (ENDPOINTS.md, invocation). */
export function qualifiedName(name: string, namespace: string | undefined): string {
  return namespace ? `${name}.${namespace}` : name;
}
