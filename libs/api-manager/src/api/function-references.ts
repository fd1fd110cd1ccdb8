import { Inject, Injectable } from '@nestjs/common';
import { BUS, type Bus } from '@dispatch/bus';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';

/** How long a create or update waits for function-manager to say whether the function exists. */
const FUNCTION_CHECK_TIMEOUT_MS = 3000;

/** An API must name a function of its org that exists; function-manager answers (`function.function.exists.v1`). */
@Injectable()
export class FunctionReferences {
  constructor(@Inject(BUS) private readonly bus: Bus) {}

  async assertExists(org: string, name: string): Promise<void> {
    let exists: boolean;
    try {
      ({ exists } = await this.bus.request('function.function.exists.v1', { org, name }, { timeoutMs: FUNCTION_CHECK_TIMEOUT_MS }));
    } catch (err) {
      if (err instanceof DispatchError) throw err;
      throw new DispatchError(
        ErrorCode.SERVICE_UNAVAILABLE,
        `the API's function cannot be checked: function-manager did not answer (${(err as Error).message}); retry later`,
      );
    }
    if (!exists) {
      throw new DispatchError(
        ErrorCode.NOT_FOUND,
        `function "${name}" not found in org "${org}"; create it (POST /v1/function) or name an existing one in "function"`,
        { function: name },
      );
    }
  }
}
