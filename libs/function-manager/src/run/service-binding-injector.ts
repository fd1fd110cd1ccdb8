import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';

/**
 * Credentials of the service instances a function is bound to, by instance name
 * (`context.serviceBindings`, DESIGN §7). Bindings are owned by service-catalog, which is not
 * built yet: a function without services gets none, and naming services is refused with a
 * message saying so, rather than running without the credentials the function expects.
 */
@Injectable()
export class ServiceBindingInjector {
  async credentialsFor(_org: string, services: string[]): Promise<Record<string, Record<string, unknown>>> {
    this.assertBindable(services);
    return {};
  }

  /** Refuses services a function cannot be bound to: checked when a function is created or updated. */
  assertBindable(services: string[]): void {
    if (!services.length) return;
    throw new DispatchError(
      ErrorCode.VALIDATION_FAILED,
      `the function is bound to services (${services.join(', ')}) but this platform has no service catalog yet; remove them from the function's services`,
    );
  }
}
