import { Inject, Injectable } from '@nestjs/common';
import { BUS, type Bus } from '@dispatch/bus';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';

/** How long a create or update waits for identity-manager to say which secrets exist. */
const SECRET_CHECK_TIMEOUT_MS = 3000;

/**
 * A function's secrets must exist when it is created or updated, rather than fail every run.
 * identity-manager answers which names are missing (`identity.secret.exists.v1`); no value travels.
 */
@Injectable()
export class SecretReferences {
  constructor(@Inject(BUS) private readonly bus: Bus) {}

  async assertExist(org: string, names: string[]): Promise<void> {
    if (!names.length) return;
    let missing: string[];
    try {
      ({ missing } = await this.bus.request('identity.secret.exists.v1', { org, names }, { timeoutMs: SECRET_CHECK_TIMEOUT_MS }));
    } catch (err) {
      if (err instanceof DispatchError) throw err;
      throw new DispatchError(
        ErrorCode.SERVICE_UNAVAILABLE,
        `the function's secrets cannot be checked: identity-manager did not answer (${(err as Error).message}); retry later`,
      );
    }
    if (missing.length) {
      throw new DispatchError(
        ErrorCode.NOT_FOUND,
        `secret${missing.length > 1 ? 's' : ''} ${missing.map((n) => `"${n}"`).join(', ')} not found; create ${missing.length > 1 ? 'them' : 'it'} (POST /v1/secret) or remove ${missing.length > 1 ? 'them' : 'it'} from the function's secrets`,
        { missing },
      );
    }
  }
}
